"""Searching by a city's name in Thai, Chinese and Korean in a real browser, on the site's
search box and the cities list; screenshots of each."""

import pytest
from playwright.sync_api import expect

from cities.services import city_names_add_from_gazetteer
from tests.cities.test_local_names import HAT_YAI, KAOHSIUNG, SEOUL
from tests.factories import CityFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cities():
    CityFactory(name="Hat Yai", slug="hat-yai", country="TH", geonames_id=HAT_YAI)
    CityFactory(name="Kaohsiung", slug="kaohsiung", country="TW", geonames_id=KAOHSIUNG)
    CityFactory(name="Seoul", slug="seoul", country="KR", geonames_id=SEOUL)
    city_names_add_from_gazetteer()


@pytest.mark.parametrize(
    ("text", "english", "label"),
    [("หาดใหญ่", "Hat Yai", "thai"), ("高雄", "Kaohsiung", "chinese"), ("서울", "Seoul", "korean")],
)
def test_search_by_a_name_in_its_own_script(page, cities, screenshot, text, english, label):
    page.goto("/")
    page.get_by_role("searchbox").first.fill(text)
    page.get_by_role("button", name="Search").first.click()
    group = page.locator("#group-cities").locator("xpath=..")
    expect(group.get_by_role("link", name=english)).to_be_visible()
    expect(group).to_contain_text(text)
    screenshot(page, f"search-{label}")
    page.goto(f"/cities/?q={text}")
    row = page.locator("#results tbody tr").first
    expect(row).to_contain_text(english)
    expect(row).to_contain_text(text)
