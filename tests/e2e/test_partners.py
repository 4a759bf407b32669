"""Partner matching and programme reports in a real browser, on the seed data: find
partners for Hat Yai and open a suggestion, post a request and turn it into a proposed
pairing, and read (and print) Urban-Act's report. Screenshots of each page."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from imports.seed.load import load_seed
from programmes.choices import StaffRole
from programmes.models import Network, NetworkStaff
from tests.e2e.test_officer_journey import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WASTE = "Urban-Act city pairing – Waste Management and Circular Economy"


@pytest.fixture
def seed():
    load_seed()


@pytest.fixture
def officer(seed):
    user = get_user_model().objects.create_user("officer", password=PASSWORD)
    NetworkStaff.objects.create(
        user=user, network=Network.objects.get(slug="uclg-aspac"), role=StaffRole.OFFICER
    )
    return user


@pytest.fixture
def csp_errors(page):
    """Collect what the browser refused under the site's Content Security Policy."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def test_find_partners_for_a_city_and_open_a_suggestion(page, seed, screenshot, csp_errors):
    page.goto("/cities/hat-yai/")
    page.get_by_role("link", name="Find partners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find partners for Hat Yai")
    page.get_by_label("Thematic stream").select_option(label=WASTE)
    page.get_by_role("button", name="Find partners").click()

    expect(page).to_have_url(re.compile(r"/cities/hat-yai/partners/\?stream=\d+"))
    results = page.locator("#suggestions")
    # Among the first three (a partner of Hat Yai's partners may rank above it).
    taichung = results.locator("tbody tr").filter(has_text="Taichung")
    expect(taichung).to_contain_text("took part in 2 activities on waste management")
    expect(taichung).to_contain_text("2,876 km")
    ranks = results.locator("tbody tr").all_inner_texts()
    assert any("Taichung" in row for row in ranks[:3]), ranks[:5]
    # Hat Yai's partners in Urban-Act are listed apart, never suggested.
    already = page.locator("#partners")
    expect(already.get_by_role("row", name=re.compile(r"^Khon Kaen Thailand"))).to_contain_text(
        "pilot / host city in"
    )
    expect(already.get_by_role("row", name=re.compile(r"^Malang Indonesia"))).to_contain_text(
        "potential partner"
    )
    expect(results.get_by_role("row", name=re.compile(r"^\d+ Khon Kaen"))).to_have_count(0)
    screenshot(page, "partners-01-hat-yai-waste")

    # Only cities abroad.
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Exclude cities of the same country").check()
    page.get_by_role("button", name="Find partners").click()
    expect(results.locator("tbody tr").filter(has_text="Taichung")).to_have_count(1)
    expect(results.locator("tbody tr", has_text="Thailand")).to_have_count(0)
    screenshot(page, "partners-02-abroad")

    results.get_by_role("link", name="Singapore").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Singapore")
    assert csp_errors == []


def test_find_partners_on_a_phone(phone_page, seed, screenshot):
    phone_page.goto("/cities/bangkok/partners/?need=sponge+city+flood+retention")
    expect(phone_page.locator("#suggestions tbody tr").first).to_contain_text("sponge city")
    screenshot(phone_page, "partners-03-phone")


def test_officer_posts_a_request_and_turns_it_into_a_pairing(page, officer, screenshot, csp_errors):
    log_in(page)
    page.goto("/partner-requests/")
    page.get_by_role("link", name="Post a request").click()
    page.get_by_label("City seeking partners").fill("Bangkok")
    page.get_by_label(re.compile(r"^Theme(?!s)")).fill("organic waste composting")
    page.get_by_label("Thematic stream").select_option(label=WASTE)
    page.get_by_label("Kind of partner").select_option("mentor")
    page.get_by_label("Deadline").fill("2026-09-30")
    screenshot(page, "partners-04-request-form")
    page.get_by_role("button", name="Post the request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bangkok seeks partners: organic waste composting"
    )
    expect(page.locator("tbody tr").first).to_contain_text("Khon Kaen")
    screenshot(page, "partners-05-request-detail")

    # Nothing ticked: the error says what to do.
    page.get_by_role("button", name="Create the proposed pairing").click()
    expect(page.get_by_text("Tick at least one partner city.")).to_be_visible()

    page.get_by_label("Malang (ID)").check()
    page.get_by_label("Shizuoka (JP)").check()
    page.get_by_role("button", name="Create the proposed pairing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bangkok – Malang – Shizuoka")
    expect(page.get_by_text("created from the request")).to_be_visible()
    screenshot(page, "partners-06-pairing")

    page.goto("/partner-requests/")
    expect(page.locator("tbody tr").first).to_contain_text("Turned into a pairing")
    screenshot(page, "partners-07-board")
    assert csp_errors == []


def test_programme_report_reads_at_a_glance_and_prints(page, seed, screenshot, csp_errors):
    page.goto("/")
    page.get_by_role("link", name="Report of Urban-Act city pairing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report: Urban-Act city pairing (Urban-Act)"
    )
    expect(page.locator("svg.month-chart rect.activity-planned")).to_have_count(6)
    expect(page.locator("svg rect.status-proposed")).to_have_count(1)
    screenshot(page, "reports-01-urban-act")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "reports-02-urban-act-print")
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "report-urban-act-city-pairing.csv"

    page.goto("/programmes/citynet-services/report/")
    screenshot(page, "reports-03-citynet-services")
    assert csp_errors == []
