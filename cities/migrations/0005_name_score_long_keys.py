from importlib import import_module

from django.db import migrations

# fuzzystrmatch's Levenshtein functions refuse strings of more than 255 characters (an
# error, so a 500): such a key is never one slip from a name anyway (names are at most
# 200 characters), so it is not compared. The rest is as in 0004.
NAME_SCORE = r"""
CREATE OR REPLACE FUNCTION public.city_name_score(
    search_key text, sound_key text, key text, sound text
) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE
        WHEN search_key = key THEN 3.0
        WHEN CASE WHEN greatest(length(search_key), length(key)) > 255 THEN false
                  ELSE public.levenshtein_less_equal(search_key, key, 1) <= 1 END
            OR search_key = ANY(public.city_search_key_swaps(key)) THEN 1.5
        WHEN starts_with(search_key, key) THEN 1.2
        WHEN strpos(search_key, key) > 0 THEN 0.5
        ELSE 0.0
    END + greatest(public.similarity(search_key, key), public.similarity(sound_key, sound)) $$;
"""

# Undone: back to 0004's function.
NAME_SCORE_0004 = import_module("cities.migrations.0004_search_keys").NAME_SCORE


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0004_search_keys"),
    ]

    operations = [
        migrations.RunSQL(NAME_SCORE, NAME_SCORE_0004),
    ]
