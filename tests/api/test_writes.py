"""Bad input to any resource is a clear 4xx with nothing written (each resource's own write
rules are tested with its battery, in tests/<app>/test_api.py)."""

import pytest

from cities.models import City
from programmes.models import Network, Pairing
from tests import factories
from tests.api.data import errors, pairing_body

CITY = {
    "name": "Da Nang",
    "slug": "da-nang",
    "country": "VN",
    "latitude": 16.05,
    "longitude": 108.2,
}


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
