"""An officer brings in a news item in a real browser: uploads it, reviews what the
registry proposes, accepts three proposals and rejects one, and finds the new activity
with its citation; screenshots of each page."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from intake.choices import ProposalStatus
from intake.models import Proposal
from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEWS_ITEM = """Iloilo and Wichit sign a partnership

A delegation from the City of Iloilo visited Wichit from March 13 to 16, 2023.
The two cities agreed on a pilot for waste sorting in the old town.
"""
# Reading the gazetteer the first time takes seconds (longer on a busy machine).
FIRST_READ_MS = 240_000


@pytest.fixture
def officer(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = django_user_model.objects.create_user("officer", password="a-long-pass-phrase")
    network = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    factories.ProgrammeNetworkFactory(programme=programme, network=network)
    NetworkStaff.objects.create(user=user, network=network, role=StaffRole.OFFICER)
    factories.CityFactory(name="Iloilo", slug="iloilo", country="PH")
    factories.CityFactory(name="Wichit", slug="wichit", country="TH")
    return user


def decide(page, label: str, button: str) -> None:
    """Press ``button`` (Accept, Reject) on the proposal whose heading says ``label``."""
    heading = page.locator("strong", has_text=re.compile(f"^{re.escape(label)}$"))
    item = page.locator("li.proposal-proposed").filter(has=heading).first
    item.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_officer_uploads_a_news_item_and_accepts_cited_records(
    page, live_server, officer, screenshot, tmp_path
):
    news = tmp_path / "iloilo-wichit.txt"
    news.write_text(NEWS_ITEM)
    sign_in(page.context, officer, live_server)

    page.goto("/sources/")
    page.get_by_role("link", name="New source").click()
    page.get_by_label("File", exact=True).set_input_files(str(news))
    page.get_by_label("Title").fill("Iloilo and Wichit sign a partnership")
    page.get_by_label("Programme").select_option(label="Urban-Act")
    screenshot(page, "intake-1-add-source")
    page.get_by_role("button", name="Add the source").click(timeout=FIRST_READ_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Iloilo and Wichit sign a partnership", timeout=FIRST_READ_MS
    )
    expect(page.get_by_text("March 13 to 16, 2023").first).to_be_visible()
    screenshot(page, "intake-2-source")

    page.get_by_role("link", name="Review proposals").click()
    expect(page.get_by_role("heading", name=re.compile("Proposals from"))).to_be_visible()
    screenshot(page, "intake-3-proposals")

    activity_item = page.locator("li.proposal-proposed").filter(has_text="2023-03-13").first
    activity_item.get_by_text("Edit before accepting").click()
    activity_item.get_by_label("Title").fill("Iloilo delegation visits Wichit")
    activity_item.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    decide(page, "Iloilo – Wichit", "Accept")
    decide(page, "Wichit", "Accept")
    decide(page, "Iloilo", "Reject")
    screenshot(page, "intake-4-decided")

    statuses = list(Proposal.objects.values_list("status", flat=True))
    assert statuses.count(ProposalStatus.ACCEPTED) == 3
    assert statuses.count(ProposalStatus.REJECTED) == 1

    activity = Activity.objects.get()
    page.goto(f"/activities/{activity.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Iloilo delegation visits Wichit")
    sources = page.locator("section.citations")
    expect(sources.get_by_role("link", name="Iloilo and Wichit sign a partnership")).to_be_visible()
    expect(sources).to_contain_text("March 13 to 16, 2023")
    expect(sources).to_contain_text("p. 1, line")
    screenshot(page, "intake-5-activity-with-citation")
