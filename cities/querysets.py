"""Reusable reads over cities."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Contains


class Unaccent(models.Func):
    """``immutable_unaccent(text)``: PostgreSQL's unaccent, declared IMMUTABLE so that
    indexes can be built on it (cities migration 0003 creates the function)."""

    function = "immutable_unaccent"
    output_field = models.TextField()


def folded(expression) -> Upper:
    """Return ``expression`` without accents, upper-cased: the form the search indexes hold."""
    return Upper(Unaccent(expression))


def contains_folded(text: str, *fields: str) -> Q:
    """Return the condition "one of ``fields`` contains ``text``", case and accents aside.

    Written on ``folded(field)``, the form a trigram index can hold (``GinIndex(OpClass(
    folded(field), name="gin_trgm_ops"))``), so that an index answers it; ``unaccent`` on
    the column, as ``field__unaccent__icontains`` writes it, makes PostgreSQL read every row.
    """
    wanted = folded(Value(text))
    condition = Q()
    for field in fields:
        condition |= Q(Contains(folded(field), wanted))
    return condition


class CityQuerySet(models.QuerySet):
    def search(self, text: str):
        """Return cities whose name, administrative area or alternative name matches ``text``.

        Tolerates case, accents (unaccent on both sides) and small misspellings (trigram
        word similarity), so "Vichit" finds Wichit and "iloilo" finds Iloilo City. Each
        condition has a trigram index on its folded column, so no table is read in full.
        """
        from cities.models import City, CityAlternativeName

        text = (text or "").strip()
        if not text:
            return self
        wanted = folded(Value(text))
        by_name = (
            City.objects.order_by()
            .alias(name_folded=folded("name"), area_folded=folded("admin_area"))
            .filter(
                Q(name_folded__contains=wanted)
                | Q(name_folded__trigram_word_similar=wanted)
                | Q(area_folded__contains=wanted)
            )
            .values("pk")
        )
        by_alternative_name = (
            CityAlternativeName.objects.order_by()
            .alias(name_folded=folded("name"))
            .filter(Q(name_folded__contains=wanted) | Q(name_folded__trigram_word_similar=wanted))
            .values("city_id")
        )
        return self.filter(pk__in=by_name.union(by_alternative_name)).annotate(
            match_score=TrigramWordSimilarity(text, "name")
        )
