"""The activities' filters through the API (the same filterset as the page)."""

import pytest

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
