"""Free-text search and the list filters rewritten for their indexes keep their meaning.

``q`` matches case and accents aside, a record matched several ways is listed once, and
filters across to-many relations repeat no record. The plans are checked too: on a small
table PostgreSQL prefers reading it whole, so sequential and plain index scans are
switched off to see that the search indexes *can* answer.
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


# --- q ---------------------------------------------------------------------------------


def test_pairing_search_matches_title_city_programme_and_stream(api, registry):
    r = registry
    url = "/api/v1/pairings/"
    assert ids(api, url, q="BANGKOK – ilo") == [r.pairing.pk]  # title, case aside
    assert sorted(ids(api, url, q="iloílo")) == sorted([r.pairing.pk, r.other_pairing.pk])
    assert ids(api, url, q="iuc asia") == [r.other_pairing.pk]  # programme
    assert ids(api, url, q="flood") == [r.pairing.pk]  # stream


def test_a_pairing_matched_several_ways_is_listed_once(api, registry):
    r = registry
    # "Iloilo" is in the title of both pairings and is a city of both.
    response = api.get("/api/v1/pairings/", {"q": "Iloilo"})
    assert response.json()["count"] == 2
    assert sorted(ids(api, "/api/v1/pairings/", q="Iloilo")) == sorted(
        [r.pairing.pk, r.other_pairing.pk]
    )


def test_activity_search_matches_text_venue_and_cities(api, registry):
    r = registry
    url = "/api/v1/activities/"
    Activity.objects.filter(pk=r.other_activity.pk).update(
        description="Peer review of the Łódź riverfront", location="Palazzo Pretorio"
    )
    assert ids(api, url, q="STUDY VISIT") == [r.activity.pk]
    assert ids(api, url, q="lodz riverfront") == [r.other_activity.pk]  # accents aside
    assert ids(api, url, q="pretorio") == [r.other_activity.pk]
    assert ids(api, url, q="bangkok") == [r.activity.pk]  # a participating city
    # Iloilo hosts and takes part in the visit, and is in its title: listed once.
    response = api.get(url, {"q": "iloilo"})
    assert response.json()["count"] == 1


def test_membership_network_programme_and_stream_search(api, registry):
    r = registry
    assert ids(api, "/api/v1/memberships/", q="bangkók") == [r.membership.pk]
    member = factories.MembershipFactory(
        network=r.network, city=None, member_network=r.other_network
    )
    assert ids(api, "/api/v1/memberships/", q="aspac") == [member.pk]
    assert ids(api, "/api/v1/networks/", q="citynét") == [r.network.pk]
    assert ids(api, "/api/v1/programmes/", q="URBAN") == [r.programme.pk]
    # The stream's own name, and the text of one of its priorities.
    assert ids(api, "/api/v1/thematic-streams/", q="flood") == [r.stream.pk]
    assert ids(api, "/api/v1/thematic-streams/", q="nature-based") == [r.stream.pk]


# --- filters across to-many relations ------------------------------------------------------


def test_activities_of_several_cities_are_listed_once(api, registry):
    r = registry
    url = "/api/v1/activities/"
    # The visit has Bangkok and Iloilo taking part, and is hosted by Iloilo.
    assert ids(api, url, city=["bangkok", "iloilo"]) == [r.activity.pk]
    assert ids(api, url, city_id=[r.iloilo.pk, r.prato.pk]) == [
        r.activity.pk,
        r.other_activity.pk,
    ]


def test_pairings_and_activities_by_country_are_listed_once(api, registry):
    r = registry
    other_thai = factories.CityFactory(name="Chiang Mai", slug="chiang-mai", country="TH")
    r.pairing.participants.create(city=other_thai)
    r.activity.cities.add(other_thai)
    assert ids(api, "/api/v1/pairings/", country="TH") == [r.pairing.pk]
    assert ids(api, "/api/v1/activities/", country="TH") == [r.activity.pk]


def test_activities_by_several_organisers_are_listed_once(api, registry):
    r = registry
    r.activity.organisers.add(r.other_network)
    assert ids(api, "/api/v1/activities/", network=["citynet", "uclg-aspac"]) == [r.activity.pk]


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
