"""Writes run the model's own rules, and bad input is a clear 4xx with nothing written."""

import pytest

from activities.models import Activity
from cities.models import City
from programmes.models import Membership, Network, Pairing, PairingStatusChange
from tests import factories

CITY = {
    "name": "Da Nang",
    "slug": "da-nang",
    "country": "VN",
    "latitude": 16.05,
    "longitude": 108.2,
}


def errors(response) -> dict:
    body = response.json()
    assert body["detail"]
    return body["errors"]


# --- create, update, partial update, delete ---------------------------------------------


def test_membership_runs_the_models_clean(editor_api, db):
    network = factories.NetworkFactory()
    response = editor_api.post("/api/v1/memberships/", {"network": network.pk}, format="json")
    assert response.status_code == 400
    assert "Choose either a city or an organisation" in errors(response)["city"][0]
    assert not Membership.objects.exists()


def test_programme_end_before_start_is_refused_on_the_field(editor_api, db):
    response = editor_api.post(
        "/api/v1/programmes/",
        {"name": "P", "slug": "p", "start_date": "2026-01-01", "end_date": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert errors(response)["end_date"] == ["The end date cannot be before the start date."]


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


# --- pairings go through the services ----------------------------------------------------


def pairing_body(programme, cities, **extra):
    return {
        "programme": programme.pk,
        "participants": [
            {"city": c.pk, "role": "pilot" if i == 0 else "partner"} for i, c in enumerate(cities)
        ],
        **extra,
    }


def test_pairing_create_names_it_and_records_its_status(editor_api, db):
    programme = factories.ProgrammeFactory()
    taichung = factories.CityFactory(name="Taichung")
    prato = factories.CityFactory(name="Prato")
    response = editor_api.post(
        "/api/v1/pairings/",
        pairing_body(programme, [taichung, prato], status="agreed"),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Taichung – Prato"
    assert body["status_changes"][0]["status"] == "agreed"
    assert {p["city"]["name"]: p["role"] for p in body["participants"]} == {
        "Taichung": "pilot",
        "Prato": "partner",
    }


def test_pairing_needs_two_different_cities(editor_api, db):
    programme = factories.ProgrammeFactory()
    city = factories.CityFactory()
    one = editor_api.post("/api/v1/pairings/", pairing_body(programme, [city]), format="json")
    assert one.status_code == 400
    assert "at least two cities" in errors(one)["participants"][0]
    twice = editor_api.post(
        "/api/v1/pairings/", pairing_body(programme, [city, city]), format="json"
    )
    assert twice.status_code == 400
    assert "appears twice" in errors(twice)["participants"][0]
    assert not Pairing.objects.exists()


def test_the_same_cities_are_paired_once_per_programme(editor_api, db):
    existing = factories.PairingFactory()
    cities = list(existing.cities.all())
    response = editor_api.post(
        "/api/v1/pairings/", pairing_body(existing.programme, cities), format="json"
    )
    assert response.status_code == 400
    assert "already paired" in errors(response)["participants"][0]
    assert Pairing.objects.count() == 1


def test_pairing_update_changes_participants_and_status_history(editor_api, db):
    pairing = factories.PairingFactory(status="proposed")
    newcomer = factories.CityFactory()
    keep = pairing.cities.first()
    response = editor_api.patch(
        f"/api/v1/pairings/{pairing.pk}/",
        {
            "status": "active",
            "participants": [{"city": keep.pk}, {"city": newcomer.pk, "role": "mentor"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert sorted(p["city"]["id"] for p in body["participants"]) == sorted([keep.pk, newcomer.pk])
    assert PairingStatusChange.objects.filter(pairing=pairing, status="active").exists()


def test_pairing_stream_must_belong_to_its_programme(editor_api, db):
    programme = factories.ProgrammeFactory()
    stream = factories.ThematicStreamFactory()
    response = editor_api.post(
        "/api/v1/pairings/",
        pairing_body(programme, factories.CityFactory.create_batch(2), stream=stream.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "stream" in errors(response)


# --- bad input: 4xx, a message per field, nothing written ----------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({**CITY, "name": "Da\x00Nang"}, "name"),
        ({**CITY, "description": "nul \x00 inside"}, "description"),
        ({**CITY, "name": "x" * 201}, "name"),
        ({**CITY, "country": "XX"}, "country"),
        ({**CITY, "population": "many"}, "population"),
        ({**CITY, "population": -5}, "population"),
        ({**CITY, "population": 10**30}, "population"),
        ({**CITY, "latitude": 91, "longitude": 0}, "latitude"),
        ({**CITY, "latitude": 10, "longitude": None}, "longitude"),
        ({**CITY, "slug": "not a slug"}, "slug"),
        ({**CITY, "name": ["a", "list"]}, "name"),
        ({**CITY, "geonames_id": True}, "geonames_id"),
        ({**CITY, "created": "2020-01-01", "is_admin": True}, "is_admin"),
        ({"slug": "x", "country": "VN"}, "name"),
    ],
)
def test_bad_city_bodies_are_400_per_field(editor_api, db, body, field):
    response = editor_api.post("/api/v1/cities/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in errors(response), response.json()
    assert not City.objects.exists()


def test_duplicate_slug_is_400_on_the_field(editor_api, db):
    factories.CityFactory(slug="da-nang")
    response = editor_api.post("/api/v1/cities/", CITY, format="json")
    assert response.status_code == 400
    assert "slug" in errors(response)


def test_unknown_related_id_is_400(editor_api, db):
    response = editor_api.post(
        "/api/v1/networks/", {"name": "N", "slug": "n", "parent": 10**20}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in errors(response)
    assert not Network.objects.exists()


def test_unknown_field_in_a_nested_participant_is_400(editor_api, db):
    programme = factories.ProgrammeFactory()
    body = pairing_body(programme, factories.CityFactory.create_batch(2))
    body["participants"][0]["colour"] = "red"
    response = editor_api.post("/api/v1/pairings/", body, format="json")
    assert response.status_code == 400
    assert "colour" in str(errors(response)["participants"])


def test_invalid_json_is_400(editor_api, db):
    response = editor_api.generic(
        "POST", "/api/v1/cities/", '{"name": "Da Nang",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize("body", ["[]", '"a string"', "null", "42"])
def test_a_body_that_is_not_an_object_is_400(editor_api, db, body):
    response = editor_api.generic("POST", "/api/v1/cities/", body, content_type="application/json")
    assert response.status_code == 400
    assert not City.objects.exists()


def test_wrong_content_type_is_415(editor_api, db):
    response = editor_api.generic(
        "POST",
        "/api/v1/cities/",
        "name=Da+Nang&slug=da-nang&country=VN",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    response = editor_api.generic("POST", "/api/v1/cities/", "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert not City.objects.exists()


def test_nul_bytes_and_over_long_text_in_filters_are_400(api, db):
    assert api.get("/api/v1/cities/", {"q": "Bang\x00kok"}).status_code == 400
    assert api.get("/api/v1/cities/", {"network": "a\x00"}).status_code == 400
    assert api.get("/api/v1/cities/", {"q": "x" * 5000}).status_code == 400


def test_delete_of_a_protected_record_is_400_not_500(editor_api, db):
    pairing = factories.PairingFactory()
    response = editor_api.delete(f"/api/v1/programmes/{pairing.programme.pk}/")
    assert response.status_code == 400
    assert Pairing.objects.exists()


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
