"""An officer's day in a real browser: log in, find a city, pair it, see it everywhere,
filter activities to a month, and meet a plain-words error; screenshots of each page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import PairingParticipant, PairingStatusChange
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def registry(django_user_model):
    """A small registry: Urban-Act with a stream, Thai and Philippine cities, activities."""
    user = django_user_model.objects.create_user("officer", password=PASSWORD)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                f"{action}_{model}"
                for model in ("pairing", "activity", "city", "programme")
                for action in ("add", "change", "delete", "view")
            ]
        )
    )
    network = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac", acronym="UCLG ASPAC")
    programme = factories.ProgrammeFactory(
        name="Urban-Act City Pairing", slug="urban-act", acronym="Urban-Act"
    )
    factories.ProgrammeNetworkFactory(programme=programme, network=network)
    stream = factories.ThematicStreamFactory(
        programme=programme,
        name="Nature-based Solutions for Urban Flood Management",
        slug="nbs-flood",
    )
    factories.StreamPriorityFactory(stream=stream, text="Early warning systems", order=1)
    wichit = factories.CityFactory(
        name="Wichit",
        slug="wichit",
        country="TH",
        latitude=7.86,
        longitude=98.37,
        admin_area="Phuket Province",
        kind="municipality",
    )
    factories.CityAlternativeNameFactory(city=wichit, name="Vichit", kind="source_error")
    factories.CityFactory(
        name="Phuket", slug="phuket", country="TH", latitude=7.89, longitude=98.40
    )
    iloilo = factories.CityFactory(
        name="Iloilo City", slug="iloilo-city", country="PH", latitude=10.72, longitude=122.56
    )
    makati = factories.CityFactory(
        name="Makati", slug="makati", country="PH", latitude=14.55, longitude=121.02
    )
    factories.MembershipFactory(network=network, city=wichit, regional_group="Southeast Asia")
    source = factories.SourceFactory(
        title="City Pairing Planning Workshop, Bangkok", slug="workshop", publisher="UCLG ASPAC"
    )
    factories.CitationFactory(
        source=source, record=wichit, quote="Vichit Municipality, Phuket", locator="p. 3"
    )
    existing = factories.PairingFactory(
        programme=programme,
        stream=stream,
        title="Iloilo City – Makati",
        status=PairingStatus.ACTIVE,
        cities=[],
    )
    PairingParticipant.objects.create(pairing=existing, city=iloilo, role=ParticipantRole.PILOT)
    PairingParticipant.objects.create(pairing=existing, city=makati)
    PairingStatusChange.objects.create(
        pairing=existing, status=PairingStatus.ACTIVE, changed_on=datetime.date(2026, 1, 30)
    )
    factories.CitationFactory(source=source, record=existing, quote="Iloilo and Makati")
    march = factories.ActivityFactory(
        title="Online consultation on flood management",
        kind="online_consultation",
        programme=programme,
        stream=stream,
        pairing=existing,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
        date_precision="month",
    )
    march.cities.add(iloilo, makati)
    factories.ActivityFactory(
        title="Study visit to Kaohsiung",
        kind="study_visit",
        programme=programme,
        start_date=datetime.date(2026, 3, 18),
        location_city=wichit,
    )
    factories.ActivityFactory(
        title="On-site training in Wichit",
        kind="training",
        programme=programme,
        start_date=datetime.date(2026, 6, 10),
        end_date=datetime.date(2026, 6, 12),
        location_city=wichit,
    )
    return {"programme": programme, "stream": stream, "wichit": wichit}


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def test_officer_finds_a_city_pairs_it_and_sees_it_everywhere(page, registry, screenshot):
    log_in(page)
    page.goto("/")
    screenshot(page, "01-home")

    # Search with the misspelling a source uses.
    page.get_by_label("Search the registry").fill("Vichit")
    page.get_by_label("Search the registry").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “Vichit”")
    screenshot(page, "02-search-vichit")
    page.get_by_role("link", name="Wichit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wichit")
    expect(page.get_by_text("Vichit Municipality, Phuket")).to_be_visible()
    screenshot(page, "03-city-wichit")

    # Create a pairing with two partner cities.
    page.goto("/pairings/")
    page.get_by_role("link", name="New pairing").click()
    page.get_by_label("Programme").select_option(label="Urban-Act City Pairing")
    page.locator("#id_participants-0-city").fill("Wichit")
    page.locator("#id_participants-1-city").fill("Phuket")
    page.locator("#id_participants-1-role").select_option("partner")
    page.get_by_label("Description").fill("Flood early warning between neighbours.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wichit – Phuket")
    expect(page.get_by_text("Pairing “Wichit – Phuket” saved.")).to_be_visible()
    screenshot(page, "04-pairing-created")

    # It is on the list…
    page.goto("/pairings/")
    expect(page.get_by_role("link", name="Wichit – Phuket")).to_be_visible()
    screenshot(page, "05-pairings-list")

    # …on the city's page…
    page.goto("/cities/wichit/")
    expect(page.get_by_role("link", name="Wichit – Phuket")).to_be_visible()

    # …and on the map (lines drawn from the map's own compact data, /map/data.json).
    page.goto("/map/?city=phuket")
    expect(page.locator("#pairing-map")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#map-status")).to_have_text("1 pairing and 2 cities on the map.")
    # Lines are drawn on a canvas (tens of thousands would not pan as SVG).
    expect(page.locator("#pairing-map")).to_have_attribute("data-drawn-ms", re.compile(r"\d+"))
    expect(page.locator("#pairing-map canvas").first).to_be_attached()
    page.goto("/map/")
    expect(page.locator("#pairing-map")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#map-status")).to_contain_text("2 pairings")
    screenshot(page, "06-map")


def test_officer_filters_activities_to_a_month(page, registry, screenshot):
    page.goto("/activities/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Month", exact=True).fill("2026-03")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"month=2026-03"))
    results = page.locator("#results")
    expect(results.get_by_role("heading", level=2)).to_contain_text("2 activities")
    expect(results.get_by_text("Online consultation on flood management")).to_be_visible()
    expect(results.get_by_text("Mar–Apr 2026")).to_be_visible()
    expect(results.get_by_text("On-site training in Wichit")).to_have_count(0)
    expect(results.get_by_role("link", name="Export CSV")).to_have_attribute(
        "href", re.compile(r"/api/v1/activities/\?.*month=2026-03.*format=csv")
    )
    screenshot(page, "07-activities-march-2026")

    page.goto("/activities/calendar/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
    expect(page.get_by_role("link", name="Subscribe (iCalendar)")).to_have_attribute(
        "href", re.compile(r"format=ics")
    )
    screenshot(page, "08-calendar")


def test_invalid_date_range_is_explained_next_to_the_field(page, registry, screenshot):
    log_in(page)
    page.goto("/activities/new/")
    page.get_by_label("Title").fill("Peer exchange in Phuket")
    page.get_by_label("Start date").fill("2026-03-20")
    page.get_by_label("End date").fill("2026-03-10")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#id_end_date_error")
    expect(error).to_have_text("The end date cannot be before the start date.")
    expect(page.get_by_label("End date")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value("Peer exchange in Phuket")
    screenshot(page, "09-activity-form-error")

    page.goto("/pairings/new/")
    page.get_by_label("Programme").select_option(label="Urban-Act City Pairing")
    page.locator("#id_participants-0-city").fill("Wichit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A pairing needs at least two cities.")).to_be_visible()
    screenshot(page, "10-pairing-form-error")


def test_pages_work_at_phone_width(phone_page, registry, screenshot):
    page = phone_page
    for name, url in (
        ("11-phone-home", "/"),
        ("12-phone-pairings", "/pairings/"),
        ("13-phone-city", "/cities/wichit/"),
        ("14-phone-calendar", "/activities/calendar/?year=2026"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Nothing but the scrolling table regions may be wider than the screen.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375 + 1, (url, overflow)
        screenshot(page, name)


def test_lists_and_search_work_without_javascript(no_js_page, registry, screenshot):
    page = no_js_page
    page.goto("/cities/")
    page.get_by_label("Search cities").fill("Iloilo")
    page.get_by_label("Search cities").press("Enter")
    expect(page).to_have_url(re.compile(r"q=Iloilo"))
    expect(page.get_by_role("link", name="Iloilo City")).to_be_visible()
    page.goto("/activities/?month=2026-06")
    expect(page.get_by_text("On-site training in Wichit")).to_be_visible()
    screenshot(page, "15-cities-no-js")


def test_other_main_pages_render(page, registry, screenshot):
    for name, url in (
        ("16-cities", "/cities/"),
        ("17-programme", "/programmes/urban-act/"),
        ("18-networks", "/networks/"),
        ("19-stream", "/streams/nbs-flood/"),
        ("20-login", "/accounts/login/"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        headings = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => Number(h.tagName[1]))"
        )
        assert headings[0] == 1 and headings.count(1) == 1, (url, headings)
        assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), (
            url,
            headings,
        )
        screenshot(page, name)
    page.goto("/pairings/")
    pairing_link = page.get_by_role("link", name="Iloilo City – Makati")
    pairing_link.click()
    expect(page.get_by_role("heading", name="Status history")).to_be_visible()
    screenshot(page, "21-pairing")


def test_city_boxes_suggest_cities_through_htmx(page, registry, screenshot):
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    log_in(page)

    # A pairing's city box: the misspelling a source uses suggests the city as forms read it.
    page.goto("/pairings/new/")
    box = page.locator("#id_participants-0-city")
    box.press_sequentially("Vichit", delay=30)
    options = page.locator("#id_participants-0-city-suggestions option")
    expect(options.first).to_have_attribute("value", "Wichit (TH)")
    expect(page).to_have_url(re.compile(r"/pairings/new/$"))  # the address stays
    screenshot(page, "10-city-suggestions-pairing")

    # A box added with "Add another city" gets its own suggestions.
    page.goto("/activities/new/")
    page.get_by_role("button", name="Add another city").click()
    added = page.get_by_label("City 3")
    added.press_sequentially("Iloilo", delay=30)
    expect(
        page.locator(f"#{added.get_attribute('id')}-suggestions option").first
    ).to_have_attribute("value", "Iloilo City (PH)")

    # A filter's city box suggests slugs, without submitting the filter form as it types.
    page.goto("/pairings/")
    page.locator("summary", has_text="Filters").click()
    page.locator("#id_city").press_sequentially("iloi", delay=30)
    expect(page.locator("#id_city-suggestions option").first).to_have_attribute(
        "value", "iloilo-city"
    )
    expect(page).to_have_url(re.compile(r"/pairings/$"))
    screenshot(page, "11-city-suggestions-filter")
    assert not [e for e in errors if "Content Security Policy" in e or "htmx" in e.lower()]
