"""Filters keep only what filters in the address, with and without JavaScript; the stream
select of the pairing form follows the programme chosen."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pairings(db):
    urban_act = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    iurc = factories.ProgrammeFactory(name="IURC", slug="iurc")
    factories.ThematicStreamFactory(programme=urban_act, name="Flood management")
    factories.ThematicStreamFactory(programme=urban_act, name="Waste")
    factories.ThematicStreamFactory(programme=iurc, name="Green deal")
    factories.PairingFactory(programme=urban_act, title="Active pairing", status="active")
    factories.PairingFactory(programme=urban_act, title="Proposed pairing", status="proposed")
    return {"urban_act": urban_act, "iurc": iurc}


def tick_active_and_apply(page):
    page.goto("/pairings/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Active", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()


def test_live_filtering_puts_only_the_ticked_status_in_the_address(page, pairings, screenshot):
    tick_active_and_apply(page)
    expect(page).to_have_url(re.compile(r"/pairings/\?status=active$"))
    expect(page.locator("#results")).not_to_contain_text("Proposed pairing")
    expect(page.locator(".filter-panel summary")).to_have_text("Filters (1 active)")
    screenshot(page, "filters-one-status-js")
    page.reload()
    expect(page.locator(".filter-panel summary")).to_have_text("Filters (1 active)")


def test_without_javascript_the_address_is_cleaned_by_the_server(no_js_page, pairings, screenshot):
    tick_active_and_apply(no_js_page)
    expect(no_js_page).to_have_url(re.compile(r"/pairings/\?status=active$"))
    expect(no_js_page.locator(".filter-panel summary")).to_have_text("Filters (1 active)")
    screenshot(no_js_page, "filters-one-status-no-js")


def test_stream_select_follows_the_programme(page, live_server, pairings, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw-12345678")
    sign_in(page.context, admin, live_server)
    page.goto("/pairings/new/")
    stream = page.get_by_label("Stream")
    expect(stream.locator("optgroup")).to_have_count(2)
    page.get_by_label("Programme").select_option(label="Urban-Act")
    expect(stream.locator("option")).to_have_text(["---------", "Flood management", "Waste"])
    stream.select_option(label="Waste")
    page.get_by_label("Programme").select_option(label="IURC")
    expect(stream.locator("option")).to_have_text(["---------", "Green deal"])
    expect(stream).to_have_value("")
