"""Browser fixtures: Debian's chromium driven by Playwright against a live server.

Without chromium the tests are skipped on a developer's machine and fail in CI
(``CI=true``), so CI never passes by skipping them.
"""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    """Start chromium for one test module, then stop Playwright's event loop again.

    While Playwright's sync API runs, Django sees an event loop in this thread and would
    refuse the tests' synchronous ORM calls; they are safe here, so the guard is lifted
    for these tests only (and never leaks into the rest of the suite or subprocesses).
    """
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (make browser installs it)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must run the browser tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def open_page(browser, live_server, **options):
    """Yield a page in a fresh browser context (its own cookies) on the live server."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def sign_in(context, user, live_server) -> None:
    """Give a browser context the session cookie of ``user``, signed in."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": value, "url": live_server.url}])


@pytest.fixture
def page(browser, live_server):
    yield from open_page(browser, live_server)


@pytest.fixture
def phone_page(browser, live_server):
    yield from open_page(
        browser,
        live_server,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def no_js_page(browser, live_server):
    yield from open_page(browser, live_server, java_script_enabled=False)


@pytest.fixture
def screenshot():
    """Return a function that saves a full-page screenshot under test-artifacts/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
