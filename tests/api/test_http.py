"""What partners' browsers and HTTP tools rely on: CORS, 304, JSON errors, rate limits that
spare the site's own map."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories
from tests.api.data import build_registry

ORIGIN = "https://partner.example.org"


# --- CORS: anonymous cross-origin reads, nothing credentialed ---------------------------


def test_cross_origin_get_of_published_data_is_allowed_without_credentials(api, db):
    factories.CityFactory(name="Iloilo")
    response = api.get("/api/v1/cities/", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_reads_only_and_no_token(api, db):
    response = api.options(
        "/api/v1/cities/",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert "if-none-match" in allowed and "authorization" not in allowed
    assert "Access-Control-Allow-Credentials" not in response


def test_pages_get_no_cors_headers(client, db):
    response = client.get("/cities/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


# --- 304 Not Modified -------------------------------------------------------------------


def test_list_has_an_etag_and_answers_304_until_it_changes(api, db):
    factories.CityFactory(name="Iloilo")
    first = api.get("/api/v1/cities/")
    assert first["ETag"]
    assert api.get("/api/v1/cities/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    factories.CityFactory(name="Prato")
    assert api.get("/api/v1/cities/", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_api_answers_vary_on_the_token(api, db):
    assert "Authorization" in api.get("/api/v1/cities/")["Vary"]


# --- Errors are JSON under /api/ --------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nonsense/", "/api/v1/cities/1/nonsense/", "/api/v2/", "/api/", "/api/v1/cities/x/y/"],
)
def test_unknown_api_address_is_a_json_404(api, db, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/" in response.json()["detail"]


def test_unknown_api_address_is_json_in_debug_mode_too(api, db, settings):
    settings.DEBUG = True
    response = api.get("/api/v1/nonsense/")
    assert response.status_code == 404 and response.json()["detail"]


def test_method_an_address_does_not_take_is_a_json_405(api, db):
    response = api.delete("/api/v1/schema/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "DELETE" in response.json()["detail"]


def test_a_missing_page_stays_a_page(client, db):
    response = client.get("/nonsense/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- The map's own data is not rate-limited like an API client --------------------------


@pytest.fixture
def anonymous_limit(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1000/min"},
    }
    cache.clear()


def test_map_data_requests_are_not_throttled_while_api_clients_are(db, anonymous_limit):
    build_registry()
    browser = Client()  # the map page, as a browser loads it, then its script's fetches
    page = browser.get("/map/").content.decode()
    urls = [
        re.search(rf'data-{name}-url="([^"]+)"', page).group(1).replace("&amp;", "&")
        for name in ("cities", "pairings")
    ]
    assert all(not url.startswith("/api/") for url in urls)
    answers = [browser.get(urls[n % 2]) for n in range(70)]  # from one address
    assert {answer.status_code for answer in answers} == {200}
    assert answers[0].json()["features"]

    api_client = Client()  # a bare API client from the same address
    statuses = [api_client.get("/api/v1/cities/?format=geojson").status_code for _ in range(61)]
    assert statuses == [200] * 60 + [429]
