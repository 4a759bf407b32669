"""The activities' filters through the API (the same filterset as the page)."""

import pytest

from activities.models import Activity
from tests.api.data import both_ways, ids

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def test_activities_by_relations(api, api_registry):
    r = api_registry
    url = "/api/v1/activities/"
    both_ways(api, url, "programme", r.programme, [r.activity.pk])
    both_ways(api, url, "stream", r.stream, [r.activity.pk])
    both_ways(api, url, "city", r.prato, [r.other_activity.pk])
    both_ways(api, url, "network", r.network, [r.activity.pk])
    assert ids(api, url, pairing_id=r.pairing.pk) == [r.activity.pk]
    assert ids(api, url, country="PH") == [r.activity.pk]


def test_activities_by_kind_status_and_q(api, api_registry):
    r = api_registry
    url = "/api/v1/activities/"
    assert ids(api, url, kind="workshop") == [r.other_activity.pk]
    assert ids(api, url, status="confirmed") == [r.activity.pk]
    assert ids(api, url, q="study visit") == [r.activity.pk]


def test_activities_by_date_range_and_month(api, api_registry):
    r = api_registry
    url = "/api/v1/activities/"
    assert ids(api, url, start_after="2026-04-01") == [r.other_activity.pk]
    assert ids(api, url, start_before="2026-03-31") == [r.activity.pk]
    assert ids(api, url, start_after="2026-03-10", start_before="2026-03-10") == [r.activity.pk]
    # The month-precise May workshop overlaps May; the March visit overlaps March.
    assert ids(api, url, month="2026-05") == [r.other_activity.pk]
    assert ids(api, url, month="2026-03") == [r.activity.pk]
    assert ids(api, url, month="2026-04") == []


@pytest.mark.django_db
def test_activity_date_range_the_wrong_way_round_is_a_clear_400(client):
    response = client.get("/api/v1/activities/?start_after=2026-05-01&start_before=2026-03-01")
    assert response.status_code == 400
    assert "swap the dates" in response.content.decode()


def test_activity_search_matches_text_venue_and_cities(api, api_registry):
    r = api_registry
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


def test_activities_of_several_cities_are_listed_once(api, api_registry):
    r = api_registry
    url = "/api/v1/activities/"
    # The visit has Bangkok and Iloilo taking part, and is hosted by Iloilo.
    assert ids(api, url, city=["bangkok", "iloilo"]) == [r.activity.pk]
    assert ids(api, url, city_id=[r.iloilo.pk, r.prato.pk]) == [
        r.activity.pk,
        r.other_activity.pk,
    ]


def test_activities_by_several_organisers_are_listed_once(api, api_registry):
    r = api_registry
    r.activity.organisers.add(r.other_network)
    assert ids(api, "/api/v1/activities/", network=["citynet", "uclg-aspac"]) == [r.activity.pk]
