"""Free-text search and the list filters rewritten for their indexes keep their meaning.

``q`` matches case and accents aside, a record matched several ways is listed once, and
filters across to-many relations repeat no record. The plans are checked too: on a small
table PostgreSQL prefers reading it whole, so sequential and plain index scans are
switched off to see that the search indexes *can* answer. Each app's own searches are
tested in tests/<app>/test_filtersets.py; here what spans pairings and activities.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from programmes.models import Pairing
from tests import factories
from tests.api.data import build_registry, ids


@pytest.fixture
def registry(db):
    return build_registry()


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # Leave PostgreSQL bitmap scans only: a full walk of a B-tree is no use either.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    return queryset.explain()


# --- filters across to-many relations ------------------------------------------------------


def test_pairings_and_activities_by_country_are_listed_once(api, registry):
    r = registry
    other_thai = factories.CityFactory(name="Chiang Mai", slug="chiang-mai", country="TH")
    r.pairing.participants.create(city=other_thai)
    r.activity.cities.add(other_thai)
    assert ids(api, "/api/v1/pairings/", country="TH") == [r.pairing.pk]
    assert ids(api, "/api/v1/activities/", country="TH") == [r.activity.pk]


def test_filters_that_repeat_no_record_add_no_distinct(api, registry):
    """DISTINCT makes PostgreSQL sort every match before returning the first page."""
    r = registry
    with CaptureQueriesContext(connection) as queries:
        pairings = ids(api, "/api/v1/pairings/", status="active", kind="programme_pairing")
        pairings += ids(api, "/api/v1/pairings/", country="TH", q="bangkok")
        activities = ids(
            api, "/api/v1/activities/", status="confirmed", city="iloilo", network="citynet"
        )
        activities += ids(api, "/api/v1/activities/", city_id=r.iloilo.pk, q="visit")
    assert pairings == [r.pairing.pk, r.pairing.pk]
    assert activities == [r.activity.pk, r.activity.pk]
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"]]


# --- plans ----------------------------------------------------------------------------


def test_search_can_use_the_trigram_indexes(registry):
    pairing_plan = plan(Pairing.objects.search("Bangkok"))
    assert "pairing_title_trgm_idx" in pairing_plan
    activity_plan = plan(Activity.objects.search("study visit"))
    for index in (
        "activity_title_trgm_idx",
        "activity_description_trgm_idx",
        "activity_location_trgm_idx",
    ):
        assert index in activity_plan
