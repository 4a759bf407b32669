"""What every list filter does alike, through the API: modified since, ordering, bad values."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity
from cities.models import City
from tests.api.data import ids

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def test_repeated_parameter_means_any_of(api, api_registry):
    r = api_registry
    response = api.get("/api/v1/pairings/?status=active&status=proposed")
    assert response.json()["count"] == 2
    assert ids(api, "/api/v1/cities/", country=["TH", "IT"]) == sorted([r.bangkok.pk, r.prato.pk])


def test_modified_since_returns_only_what_changed(api, api_registry):
    r = api_registry
    cutoff = timezone.now() + datetime.timedelta(seconds=1)
    City.objects.filter(pk=r.prato.pk).update(modified=cutoff + datetime.timedelta(minutes=1))
    Activity.objects.filter(pk=r.activity.pk).update(modified=cutoff + datetime.timedelta(hours=1))
    stamp = cutoff.isoformat()
    assert ids(api, "/api/v1/cities/", modified_since=stamp) == [r.prato.pk]
    assert ids(api, "/api/v1/activities/", modified_since=stamp) == [r.activity.pk]
    assert ids(api, "/api/v1/pairings/", modified_since=stamp) == []


def test_ordering_and_its_reverse(api, api_registry):
    names = [c["name"] for c in api.get("/api/v1/cities/?ordering=-name").json()["results"]]
    assert names == ["Prato", "Iloilo", "Bangkok"]
    titles = [
        a["title"] for a in api.get("/api/v1/activities/?ordering=-start_date").json()["results"]
    ]
    assert titles == ["Workshop in Prato", "Study visit to Iloilo"]


def test_ties_in_ordering_are_broken_by_id(api, db):
    from tests import factories

    cities = [factories.CityFactory(name="Same", slug=f"same-{n}") for n in range(5)]
    for size in (1, 2):
        walked = []
        for page in range(1, 6 // size + 1):
            response = api.get(f"/api/v1/cities/?ordering=name&page_size={size}&page={page}")
            if response.status_code == 404:
                break
            walked += [c["id"] for c in response.json()["results"]]
        assert walked == [c.pk for c in cities]


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/pairings/?status=bogus", "status"),
        ("/api/v1/pairings/?programme=no-such-programme", "programme"),
        ("/api/v1/pairings/?programme_id=abc", "programme_id"),
        ("/api/v1/pairings/?programme_id=99999999", "programme_id"),
        ("/api/v1/cities/?country=XX", "country"),
        ("/api/v1/activities/?start_after=2026-13-01", "start_after"),
        ("/api/v1/activities/?start_before=yesterday", "start_before"),
        ("/api/v1/activities/?month=2026-3-x", "month"),
        ("/api/v1/cities/?modified_since=not-a-date", "modified_since"),
        ("/api/v1/cities/?ordering=password", "ordering"),
    ],
)
def test_bad_filter_values_are_400_with_a_message(api, api_registry, url, parameter):
    response = api.get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert parameter in body["errors"], body


@pytest.mark.django_db
def test_a_yes_no_filter_refuses_other_values(client):
    response = client.get("/api/v1/pairings/?is_verified=maybe")
    assert response.status_code == 400
    assert "Use true or false" in response.content.decode()
    assert client.get("/api/v1/pairings/?is_verified=false").status_code == 200
    assert client.get("/api/v1/sources/?is_verified=true").status_code == 200
