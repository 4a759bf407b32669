"""The cities' pages: the city page, its search, suggestions and form."""

import re

import pytest

from cities.models import City
from tests import factories
from tests.pages import (
    assert_no_dangling_separator,
    build_registry,
    cell_texts,
)

pytestmark = pytest.mark.django_db


def test_city_page_shows_partners_not_the_city_itself(client, registry):
    response = client.get(f"/cities/{registry.wichit.slug}/")
    pairings = response.text.split('id="pairings-heading"')[1].split("</section>")[0]
    assert "Iloilo City" in pairings
    assert ">Wichit</a> <small" not in pairings


def test_busy_city_shows_twenty_of_each_with_counts_and_links(client, db):
    r = build_registry(30)
    response = client.get(f"/cities/{r.wichit.slug}/")
    assert len(response.context["pairings"]) == 20
    assert response.context["pairing_count"] == 31
    assert len(response.context["activities"]) == 20
    assert response.context["activity_count"] == 31
    assert "All 31 pairings of Wichit" in response.text
    assert "All 31 activities of Wichit" in response.text
    # The pairing it hosts comes first, whatever its date.
    assert response.context["pairings"][0] == r.pairing


def test_city_page_lists_partners_without_a_trailing_comma(client):
    hat_yai = factories.CityFactory(name="Hat Yai", slug="hat-yai")
    penang = factories.CityFactory(name="Penang", slug="penang")
    songkhla = factories.CityFactory(name="Songkhla", slug="songkhla")
    factories.PairingFactory(title="Three cities", cities=[hat_yai, songkhla, penang])
    for city in (hat_yai, penang, songkhla):
        html = client.get(f"/cities/{city.slug}/").text
        assert_no_dangling_separator(html)
    texts = cell_texts(client.get("/cities/penang/").text)
    partners = [text for text in texts if "Songkhla" in text]
    assert partners == ["Hat Yai (Partner city), Songkhla (Partner city)"]


def test_city_search_tolerates_misspellings_through_alternative_names(client, registry):
    response = client.get("/cities/", {"q": "Vichit"})
    assert [city.name for city in response.context["object_list"]] == ["Wichit"]


def test_city_search_finds_a_longer_name(client, registry):
    response = client.get("/cities/", {"q": "Iloilo"})
    assert "Iloilo City" in [city.name for city in response.context["object_list"]]


def test_city_search_ignores_accents(client, registry):
    factories.CityFactory(name="Đà Nẵng", slug="da-nang", country="VN")
    response = client.get("/cities/", {"q": "da nang"})
    assert [city.name for city in response.context["object_list"]] == ["Đà Nẵng"]


def test_edit_city(officer_client, registry):
    data = {
        "name": "Wichit",
        "slug": "wichit",
        "country": "TH",
        "admin_area": "Phuket Province",
        "kind": "municipality",
        "population": "80000",
        "latitude": "7.86",
        "longitude": "98.37",
        "geonames_id": "",
        "description": "",
    }
    response = officer_client.post("/cities/wichit/edit/", data)
    assert response.status_code == 302
    assert City.objects.get(slug="wichit").admin_area == "Phuket Province"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "95"}, "latitude", "Latitude must be between -90 and 90 degrees."),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        ({"name": ""}, "name", "This field is required."),
        ({"slug": "iloilo-city"}, "slug", "City with this Slug already exists."),
    ],
)
def test_city_form_errors(officer_client, registry, changes, field, message):
    data = {
        "name": "Wichit",
        "slug": "wichit",
        "country": "TH",
        "kind": "city",
        "latitude": "7.86",
        "longitude": "98.37",
        **changes,
    }
    response = officer_client.post("/cities/wichit/edit/", data)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text


def test_city_suggestions_offer_names_for_forms_and_slugs_for_filters(client, registry):
    response = client.get("/cities/suggest/", {"q": "vichit"})
    assert '<option value="Wichit (TH)">' in response.text
    response = client.get("/cities/suggest/", {"q": "iloilo", "value": "slug"})
    assert '<option value="iloilo-city">Iloilo City (PH)</option>' in response.text


def test_city_suggestions_read_the_box_htmx_names(client, registry):
    # htmx sends the box's own value under its name and says which name it is.
    headers = {"HX-Request": "true", "HX-Trigger-Name": "participants-0-city"}
    response = client.get("/cities/suggest/", {"participants-0-city": "vichit"}, headers=headers)
    assert '<option value="Wichit (TH)">' in response.text
    # Without htmx's headers the name of the box says nothing.
    assert "Wichit" not in client.get("/cities/suggest/", {"participants-0-city": "vichit"}).text


def test_city_boxes_ask_htmx_for_suggestions_into_their_own_list(officer_client, registry):
    response = officer_client.get("/pairings/new/")
    box = re.search(r'<input[^>]*name="participants-0-city"[^>]*>', response.text)[0]
    assert 'data-hx-get="/cities/suggest/"' in box
    assert 'list="id_participants-0-city-suggestions"' in box
    assert 'data-hx-target="#id_participants-0-city-suggestions"' in box
    assert 'data-hx-push-url="false"' in box
    assert '<datalist id="id_participants-0-city-suggestions"></datalist>' in response.text
    filters = officer_client.get("/pairings/").text
    box = re.search(r'<input[^>]*name="city"[^>]*>', filters)[0]
    assert 'data-hx-vals="{&quot;value&quot;: &quot;slug&quot;}"' in box
    assert 'data-hx-target="#id_city-suggestions"' in box
