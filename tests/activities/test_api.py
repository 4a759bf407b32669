"""The activities API: the shared battery (tests/api/battery.py) with an activity's data,
its own write rules (whole months, cities, costs) and what it embeds."""

import datetime

import pytest

from activities.models import Activity
from tests import factories
from tests.api.battery import APIResourceBattery
from tests.api.data import errors

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


class TestActivityAPI(APIResourceBattery):
    resource = "activities"
    model = Activity
    programme_scoped = True

    def make(self, world):
        return factories.ActivityFactory(
            programme=world.programme_a, title="Study visit", start_date=datetime.date(2026, 3, 10)
        )

    def make_hidden(self, world):
        return factories.ActivityFactory(
            programme=world.programme_a, title="Secret workshop", is_published=False
        )

    def create_data(self, world):
        return {
            "title": "Peer exchange",
            "programme": world.programme_a.pk,
            "start_date": "2026-03-01",
        }

    def update_data(self, world):
        return {"title": "Peer exchange on flood maps"}


def test_activity_write_stores_whole_months_and_sets_cities(editor_api, db):
    programme = factories.ProgrammeFactory()
    cities = factories.CityFactory.create_batch(2)
    response = editor_api.post(
        "/api/v1/activities/",
        {
            "title": "Peer exchange",
            "programme": programme.pk,
            "start_date": "2026-03-15",
            "end_date": "2026-04-02",
            "date_precision": "month",
            "cities": [c.pk for c in cities],
            "cost_estimate": "1500.00",
            "cost_currency": "eur",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["start_date"], body["end_date"]) == ("2026-03-01", "2026-04-30")
    assert body["period"] == "Mar–Apr 2026"
    assert [c["id"] for c in body["cities"]] == [c.pk for c in cities]
    activity = Activity.objects.get()
    assert activity.cost_currency == "EUR"
    assert activity.cities.count() == 2


def test_activity_update_replaces_cities(editor_api, db):
    activity = factories.ActivityFactory()
    activity.cities.set(factories.CityFactory.create_batch(2))
    other = factories.CityFactory()
    response = editor_api.patch(
        f"/api/v1/activities/{activity.pk}/", {"cities": [other.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [c["id"] for c in response.json()["cities"]] == [other.pk]


def test_activity_with_a_stream_of_another_programme_is_refused(editor_api, db):
    stream = factories.ThematicStreamFactory()
    response = editor_api.post(
        "/api/v1/activities/",
        {
            "title": "X",
            "start_date": "2026-01-01",
            "programme": factories.ProgrammeFactory().pk,
            "stream": stream.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "own programme" in errors(response)["stream"][0]


def test_activity_cost_without_currency_is_refused(editor_api, db):
    response = editor_api.post(
        "/api/v1/activities/",
        {"title": "X", "start_date": "2026-01-01", "cost_estimate": 10},
        format="json",
    )
    assert response.status_code == 400
    assert "currency" in errors(response)["cost_currency"][0]


def test_activity_dates_of_the_wrong_type(editor_api, db):
    response = editor_api.post(
        "/api/v1/activities/", {"title": "X", "start_date": 20260101}, format="json"
    )
    assert response.status_code == 400
    assert "start_date" in errors(response)
    response = editor_api.post(
        "/api/v1/activities/",
        {"title": "X", "start_date": "2026-02-30"},
        format="json",
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_activity_embeds_its_cities_and_links(api, api_registry):
    body = api.get(f"/api/v1/activities/{api_registry.activity.pk}/").json()
    assert [c["name"] for c in body["cities"]] == ["Bangkok", "Iloilo"]
    assert body["location_city"]["slug"] == "iloilo"
    assert body["pairing"] == {"id": api_registry.pairing.pk, "title": "Bangkok – Iloilo"}
    assert body["organisers"][0]["slug"] == "citynet"
    assert body["period"] == "10–12 Mar 2026"
