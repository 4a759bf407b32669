"""The SDGs and the themes the seed documents use (``themes.vocabulary``)."""

from django.db import migrations

from themes.vocabulary import load_vocabulary


def load(apps, schema_editor):
    load_vocabulary(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
