"""The map in a real browser: land from Natural Earth under the pairings, lines drawn the
short way across 180°, cities in clusters, at desktop and phone width. Screenshots of each."""

import re

import pytest
from playwright.sync_api import expect

from cities.models import City
from programmes.choices import PairingStatus
from tests.e2e.conftest import open_page
from tests.factories import CityFactory, PairingFactory, ProgrammeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# (name, country, latitude, longitude)
PLACES = {
    "Kaohsiung": ("TW", 22.63, 120.30),
    "Los Angeles": ("US", 34.05, -118.24),
    "Newcastle": ("AU", -32.93, 151.78),
    "Christchurch": ("NZ", -43.53, 172.64),
    "Malaga": ("ES", 36.72, -4.42),
}


@pytest.fixture
def network():
    cities = {
        name: CityFactory(name=name, country=country, latitude=lat, longitude=lng)
        for name, (country, lat, lng) in PLACES.items()
    }
    # Twenty towns within a few kilometres of each other: one cluster at the region's zoom.
    CityFactory.create_batch(20, country="TH", latitude=13.75, longitude=100.5)
    twinning = ProgrammeFactory(name="Twin towns")
    pairings = {
        "trans-pacific": PairingFactory(
            programme=twinning,
            title="Kaohsiung – Los Angeles",
            status=PairingStatus.ACTIVE,
            cities=[cities["Kaohsiung"], cities["Los Angeles"]],
        ),
        "newcastle": PairingFactory(
            programme=twinning,
            title="Newcastle – Kaohsiung",
            status=PairingStatus.AGREED,
            cities=[cities["Newcastle"], cities["Kaohsiung"]],
        ),
        "christchurch": PairingFactory(
            programme=twinning,
            title="Christchurch – Malaga",
            status=PairingStatus.PROPOSED,
            cities=[cities["Christchurch"], cities["Malaga"]],
        ),
    }
    return pairings


LINE_SCRIPT = """id => {
  const map = document.getElementById('pairing-map').leafletMap;
  let found = null;
  map.eachLayer(layer => {
    if (layer.feature && layer.feature.id === id && layer.getLatLngs) found = layer;
  });
  const points = found.getLatLngs().flat().map(p => map.latLngToContainerPoint(p));
  return {longitudes: found.getLatLngs().flat().map(p => p.lng),
          xs: points.map(p => p.x), width: map.getSize().x};
}"""


LAND_JUMP_SCRIPT = """() => {
  const map = document.getElementById('pairing-map').leafletMap;
  let jumps = 0;
  map.eachLayer(layer => {
    if (layer.options.pane !== 'land' || !layer.getLatLngs) return;
    const walk = part => {
      if (!Array.isArray(part[0])) {
        part.forEach((p, i) => { if (i && Math.abs(p.lng - part[i - 1].lng) > 180) jumps++; });
      } else part.forEach(walk);
    };
    walk(layer.getLatLngs());
  });
  return jumps;
}"""


def wait_for_map(page) -> None:
    expect(page.locator("#pairing-map")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#pairing-map")).to_have_attribute("data-land-ms", re.compile(r"\d+"))


def test_map_draws_land_clusters_and_short_lines_at_desktop(page, network, screenshot):
    page.goto("/map/")
    wait_for_map(page)
    expect(page.locator("#map-status")).to_have_text("3 pairings and 25 cities on the map.")
    # The twenty towns of Bangkok are one cluster at the region's zoom.
    cluster = page.locator(".marker-cluster").first
    expect(cluster).to_contain_text("20")
    # Its count sits in the middle of the circle (Pico styles role=button elements).
    outer, inner = cluster.bounding_box(), cluster.locator("div").bounding_box()
    assert abs((outer["x"] + outer["width"] / 2) - (inner["x"] + inner["width"] / 2)) < 1
    # Kaohsiung (120°E) to Los Angeles (118°W) goes east over the Pacific: 121.8° apart,
    # both ends on screen, not 238° apart the long way over Asia and Europe.
    line = page.evaluate(LINE_SCRIPT, network["trans-pacific"].pk)
    assert abs(line["longitudes"][1] - line["longitudes"][0]) < 180
    assert all(0 <= x <= line["width"] for x in line["xs"]), line
    # Christchurch to Malaga the short way: west over Asia (176°), not east over the Pacific.
    line = page.evaluate(LINE_SCRIPT, network["christchurch"].pk)
    assert abs(line["longitudes"][1] - line["longitudes"][0]) < 180
    # No land ring jumps from 180° to -180° (Chukotka, Fiji, Antarctica are cut there):
    # the canvas filled such a jump as a band across the whole map.
    assert page.evaluate(LAND_JUMP_SCRIPT) == 0
    screenshot(page, "map-desktop")
    expect(page.get_by_role("link", name="the pairings (lines)")).to_have_attribute(
        "href", "/map/pairings.geojson"
    )


def test_map_at_phone_width_shows_the_region_and_filters(browser, live_server, network, screenshot):
    for page in open_page(browser, live_server, viewport={"width": 390, "height": 844}):
        page.goto("/map/")
        wait_for_map(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        box = page.locator("#pairing-map").bounding_box()
        assert box["width"] <= 390 and box["height"] > 300
        screenshot(page, "map-phone")
        page.goto(f"/map/?city={City.objects.get(name='Kaohsiung').slug}")
        wait_for_map(page)
        expect(page.locator("#map-status")).to_have_text("2 pairings and 3 cities on the map.")
        screenshot(page, "map-phone-filtered")


MIDPOINT_SCRIPT = """id => {
  const map = document.getElementById('pairing-map').leafletMap;
  let found = null;
  map.eachLayer(layer => {
    if (layer.feature && layer.feature.id === id && layer.getLatLngs) found = layer;
  });
  const [a, b] = found.getLatLngs().flat().map(p => map.latLngToContainerPoint(p));
  const box = map.getContainer().getBoundingClientRect();
  return {x: box.left + (a.x + b.x) / 2, y: box.top + (a.y + b.y) / 2};
}"""


def test_a_click_on_a_line_or_a_city_opens_a_popup_linking_to_its_page(page, network, screenshot):
    page.goto("/map/")
    wait_for_map(page)
    pairing = network["newcastle"]
    point = page.evaluate(MIDPOINT_SCRIPT, pairing.pk)
    page.mouse.click(point["x"], point["y"])
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Newcastle – Kaohsiung")
    expect(link).to_have_attribute("href", f"/pairings/{pairing.pk}/")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Twin towns · Agreed")
    screenshot(page, "map-line-popup")
    link.click()
    expect(page.locator("h1")).to_have_text("Newcastle – Kaohsiung")
