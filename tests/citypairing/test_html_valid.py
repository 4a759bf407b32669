"""Every kind of page is valid HTML to the Nu HTML Checker, has a description and an icon.

The checker is ``vnu.jar`` from npm's ``vnu-jar`` (``npm ci``), run by Java (Debian's
``default-jre-headless``; ``make browser`` and ``.ci/run`` install it). Without them the
test is skipped on a developer's machine and fails in CI (``CI=true``).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.views import defaults

from tests.page_catalogue import ANONYMOUS, NOT_PAGES, build_site, page_routes, pages
from tests.pages import assert_no_dangling_separator, pairing_data

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    """Return the command that runs the Nu HTML Checker, or skip (fail in CI) without it."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        message = (
            "The Nu HTML Checker needs Java (apt: default-jre-headless, `make browser`) "
            "and npm's vnu-jar (`npm ci`)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must run it.")
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR)]


def check_html(files: list[Path]) -> dict[str, list[str]]:
    """Run the checker once over ``files``; return each file's errors as readable lines."""
    result = subprocess.run(
        [*vnu_command(), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = Path(message["url"].removeprefix("file:")).stem
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(
                f"line {line}: {message['message']} [{message.get('extract', '').strip()}]"
            )
    return errors


def clients(site) -> dict[str, Client]:
    """Return a test client per user of the catalogue, signed in as that user."""
    result = {ANONYMOUS: Client()}
    for user in (site.admin, site.officer, site.reader):
        client = Client()
        client.force_login(user)
        result[user.username] = client
    return result


def test_every_page_is_valid_html_with_a_description_and_an_icon(tmp_path):
    site = build_site()
    by_user = clients(site)
    files, problems = [], []
    for page in pages(site):
        response = by_user[page.user].get(page.url)
        if response.status_code != page.status:
            problems.append(f"{page.url} as {page.user}: {response.status_code}")
            continue
        html = response.content.decode()
        files.append(tmp_path / f"{page.name}.html")
        files[-1].write_text(html)
        if '<meta name="description" content="' not in html or '<link rel="icon"' not in html:
            problems.append(f"{page.url}: no meta description or icon")
        try:
            assert_no_dangling_separator(html)
        except AssertionError as error:
            problems.append(f"{page.url}: a list ends with a separator: {error}")
    # A form sent back with errors, a form refused (CSRF), and the 500 page (rendered
    # without a database).
    refusing = Client(enforce_csrf_checks=True)
    refusing.force_login(site.admin)
    for name, response in (
        (
            "pairing_create_errors",
            by_user["admin"].post("/pairings/new/", pairing_data(site.programme, [])),
        ),
        ("csrf_failure", refusing.post("/pairings/new/", {})),
        ("server_error", defaults.server_error(RequestFactory().get("/"))),
    ):
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert not problems, "\n".join(problems)
    errors = check_html(files)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in errors.items())
    assert not errors, f"The Nu HTML Checker reports:\n{report}"


def test_every_page_route_is_in_the_catalogue():
    """A new page is checked by the HTML checker and the browser once it is listed."""
    listed = {page.route for page in pages(build_site())}
    missing = page_routes() - listed - set(NOT_PAGES)
    assert not missing, f"Add these routes to tests/page_catalogue.py: {sorted(missing)}"
