"""Changes to many-to-many links are history too: an activity's cities and organisers and a
record's themes live in link tables Django creates, which have no migrations of their own,
so their triggers are installed after migrating (``PGTRIGGER_INSTALL_ON_MIGRATE``)."""

import pytest
from django.apps import apps
from django.db import connection

from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def triggers_on(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = %s::regclass",
            [table],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "model", [Activity.cities.through, Activity.organisers.through, Activity.themes.through]
)
def test_every_tracked_link_table_has_its_history_triggers(model):
    assert triggers_on(model._meta.db_table) >= 2  # an insert and a delete


def test_adding_and_removing_a_city_of_an_activity_is_recorded():
    activity = factories.ActivityFactory()
    city = factories.CityFactory()
    activity.cities.add(city)
    activity.cities.remove(city)
    events = apps.get_model("activities", "ActivityCitiesEvent").objects.filter(city=city)
    assert list(events.order_by("pgh_id").values_list("pgh_label", flat=True)) == [
        "insert",
        "delete",
    ]
