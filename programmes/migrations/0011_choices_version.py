"""The version number of the filter panels' kept option lists (core/views/choices.py)."""

from django.db import migrations

from core.views.choices import CREATE_VERSION_SEQUENCE, DROP_VERSION_SEQUENCE


class Migration(migrations.Migration):
    dependencies = [("programmes", "0010_partner_request_moves_to_partners")]

    operations = [migrations.RunSQL(CREATE_VERSION_SEQUENCE, DROP_VERSION_SEQUENCE)]
