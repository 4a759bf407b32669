from django.db import migrations

# Activity.cities is an automatic many-to-many table (see 0006). City first, activity
# second: "the activities a city takes part in" (the city page, the API's city filter) is
# read from the index alone instead of one table page per activity.
CREATE = """
CREATE INDEX IF NOT EXISTS activity_cities_city_idx
ON activities_activity_cities (city_id, activity_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_organisers_network_index"),
    ]

    operations = [
        migrations.RunSQL(CREATE, "DROP INDEX IF EXISTS activity_cities_city_idx;"),
    ]
