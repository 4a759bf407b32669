"""My work in a real browser, on a phone (390 px) and a laptop: nothing scrolls sideways.

Screenshots: test-artifacts/screenshots/my-work-390.png and my-work-1366.png.
"""

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_layout import MEASURE
from tests.followup.test_my_work import TODAY, add_records

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_my_work_fits_the_screen(browser, live_server, screenshot, monkeypatch, width):
    from django.contrib.auth import get_user_model

    from programmes.choices import StaffRole
    from programmes.models import NetworkStaff
    from tests import factories

    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    network = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    programme = factories.ProgrammeFactory(
        name="International City Partnerships: Acting for Green and Inclusive Recovery",
        slug="icp",
    )
    factories.ProgrammeNetworkFactory(programme=programme, network=network)
    add_records(programme, n=2)
    officer = get_user_model().objects.create_user("officer", password="a-long-pass-99")
    NetworkStaff.objects.create(user=officer, network=network, role=StaffRole.OFFICER)

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    sign_in(context, officer, live_server)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message))
    page.goto("/my-work/")
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"my-work-{width}")
    measured = page.evaluate(MEASURE)
    assert measured["scrollWidth"] <= width, measured["wider"]
    assert page.locator("#calendar-url").input_value().endswith(".ics")
    assert page.locator("a.work-action", has_text="Slipped workshop 1").count() == 1
    assert [m.text for m in errors if m.type == "error"] == []
    context.close()
