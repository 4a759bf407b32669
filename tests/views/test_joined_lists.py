"""Lists of names joined with commas in a table cell end with a name, never with ", "."""

import re

import pytest
from django.utils.html import strip_tags

from tests import factories

pytestmark = pytest.mark.django_db


def cell_texts(html: str) -> list[str]:
    """Return the text of every table cell of a page, whitespace collapsed."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, flags=re.S)
    return [" ".join(strip_tags(cell).split()) for cell in cells]


def assert_no_dangling_separator(html: str) -> None:
    dangling = [text for text in cell_texts(html) if text.endswith((",", "·"))]
    assert not dangling, dangling


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


@pytest.mark.parametrize(
    "participants, expected",
    [
        (["Iloilo City"], "Iloilo City (host)"),
        (["Wichit", "Iloilo City"], "Iloilo City (host), Wichit"),
        (["Iloilo City", "Wichit", "Bacolod"], "Iloilo City (host), Bacolod, Wichit"),
    ],
)
def test_activity_list_names_host_and_cities_without_a_trailing_comma(
    client, participants, expected
):
    cities = {
        name: factories.CityFactory(name=name) for name in ("Iloilo City", "Wichit", "Bacolod")
    }
    activity = factories.ActivityFactory(title="Study visit", location_city=cities["Iloilo City"])
    for name in participants:
        activity.cities.add(cities[name])
    html = client.get("/activities/").text
    assert_no_dangling_separator(html)
    row = [text for text in cell_texts(html) if "(host)" in text]
    assert row == [expected]


@pytest.mark.parametrize("page", ["programme", "stream"])
def test_pages_without_a_city_list_every_participant(client, page):
    programme = factories.ProgrammeFactory(slug="urban-act")
    stream = factories.ThematicStreamFactory(programme=programme, slug="flood")
    cities = [factories.CityFactory(name=name) for name in ("Hat Yai", "Penang")]
    factories.PairingFactory(programme=programme, stream=stream, cities=cities)
    response = client.get(f"/{page}s/{programme.slug if page == 'programme' else stream.slug}/")
    assert response.status_code == 200
    assert_no_dangling_separator(response.text)
    assert "Hat Yai (Partner city), Penang (Partner city)" in cell_texts(response.text)
