from django.db import migrations

# Activity.organisers is an automatic many-to-many table, which Meta.indexes cannot reach.
# Network first, activity second: "the activities a network organises" is then read from
# the index alone (the network filter), instead of the whole table.
CREATE = """
CREATE INDEX IF NOT EXISTS activity_organisers_network_idx
ON activities_activity_organisers (network_id, activity_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(CREATE, "DROP INDEX IF EXISTS activity_organisers_network_idx;"),
    ]
