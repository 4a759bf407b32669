"""Every kind of page on a phone (390 px) and a laptop (1366 px) in a real browser.

No page scrolls sideways: wide tables and charts scroll inside their own region. On the
laptop no table region needs to scroll at all (the home page's programme table had its
last column cut off at 1366 px). No page logs a console error, and the icon the pages name
(and /favicon.ico, which browsers ask for) is served. A screenshot of each is saved under
test-artifacts/screenshots/layout/.
"""

import pytest

from tests.e2e.conftest import SCREENSHOTS, sign_in
from tests.page_catalogue import ANONYMOUS, build_site, pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "laptop": 1366}

MEASURE = """() => {
  const width = window.innerWidth;
  const scrollers = ".table-scroll, .chart-scroll, .calendar-scroll";
  const wider = [];
  for (const element of document.querySelectorAll("body *")) {
    const right = Math.round(element.getBoundingClientRect().right);
    if (right > width + 1 && !element.closest(scrollers)) {
      wider.push(`${element.tagName.toLowerCase()}.${element.className} ends at ${right} px`);
    }
  }
  const scrolling = [...document.querySelectorAll(".table-scroll")]
    .filter((region) => region.scrollWidth > region.clientWidth + 1)
    .map((region) => `${region.getAttribute("aria-label")}: ${region.scrollWidth} px`);
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, width, wider: wider.slice(0, 5), scrolling};
}"""


@pytest.mark.parametrize("device", list(WIDTHS))
def test_no_page_overflows_or_logs_an_error(browser, live_server, device):
    site = build_site()
    users = {"admin": site.admin, "officer": site.officer, "reader": site.reader}
    width = WIDTHS[device]
    folder = SCREENSHOTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    contexts, problems = {}, []
    for page_spec in pages(site):
        if page_spec.user not in contexts:
            # Not is_mobile: a phone's browser would zoom out to fit a page that is too wide,
            # widening the layout viewport, and hide the very overflow measured here.
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": 900}
            )
            if page_spec.user != ANONYMOUS:
                sign_in(context, users[page_spec.user], live_server)
            contexts[page_spec.user] = context.new_page()
        page = contexts[page_spec.user]
        errors = []
        page.on("console", lambda message, errors=errors: errors.append(message))
        response = page.goto(page_spec.url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(folder / f"{width}-{page_spec.name}.png"), full_page=True)
        where = f"{page_spec.url} as {page_spec.user} at {width} px"
        if response.status != page_spec.status:
            problems.append(f"{where}: status {response.status}")
        measured = page.evaluate(MEASURE)
        if measured["scrollWidth"] > measured["width"] or measured["width"] != width:
            problems.append(f"{where}: {measured['scrollWidth']} px wide: {measured['wider']}")
        if device == "laptop" and measured["scrolling"]:
            problems.append(f"{where}: tables cut off: {measured['scrolling']}")
        # The 403 and 404 pages' own status is logged as a failed load; nothing else may be.
        own_status = f"status of {page_spec.status}" if page_spec.status != 200 else None
        for message in errors:
            if message.type == "error" and not (own_status and own_status in message.text):
                problems.append(f"{where}: console error {message.text} ({message.location})")
    for url in ("/favicon.ico", page.locator("link[rel=icon]").first.get_attribute("href")):
        answer = page.request.get(url)
        if not answer.ok or not answer.headers["content-type"].startswith("image/"):
            problems.append(f"{url}: {answer.status} {answer.headers.get('content-type')}")
    for page in contexts.values():
        page.context.close()
    assert not problems, "\n".join(problems)
