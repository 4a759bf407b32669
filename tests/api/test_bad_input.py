"""Input the API cannot use is a 400 (or 413) in its JSON error shape, never a 500.

NUL bytes and lone surrogates cannot be stored in PostgreSQL; a body nested 1,000 levels
deep exhausted Python's recursion (RecursionError); a body of any size was read whole.
"""

import json

import pytest

from cities.models import City
from core.api.parsers import MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(admin_api):
    admin_api.raise_request_exception = False
    return admin_api


def post_raw(client, body: str | bytes, url="/api/v1/cities/"):
    return client.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/cities/?q=%00", "q"),
        ("/api/v1/activities/?ordering=start_date%00", "ordering"),
        ("/api/v1/pairings/?pagination=cursor&cursor=%00", "cursor"),
        ("/api/v1/changes/?since=2026-01-01%00", "since"),
        ("/api/v1/cities/?%00=1", "\x00"),
    ],
)
def test_a_nul_byte_in_a_parameter_is_a_400_naming_it(api, url, parameter):
    api.raise_request_exception = False
    response = api.get(url)
    assert response.status_code == 400
    body = response.json()
    assert "holds a NUL byte (U+0000)" in body["detail"]
    assert list(body["errors"]) == [parameter]


def test_a_nul_byte_in_if_match_is_a_400(admin_api):
    city = City.objects.create(name="Wichit", slug="wichit", country="TH")
    response = admin_api.patch(
        f"/api/v1/cities/{city.pk}/", {"name": "W"}, format="json", HTTP_IF_MATCH='"a\x00"'
    )
    assert response.status_code == 400
    assert "A header or cookie holds a NUL byte" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ('{"name": "Wi\\u0000chit"}', "name", "The value of “name” holds a NUL byte (U+0000)"),
        ('{"name": "\\ud800"}', "name", "The value of “name” holds a lone surrogate (U+D800)"),
        ('{"\\udfff": 1}', "non_field_errors", "A key holds a lone surrogate (U+DFFF)"),
        (
            '{"alternative_names": [{"name": "\\u0000"}]}',
            "alternative_names",
            "The value of “alternative_names[0].name” holds a NUL byte",
        ),
    ],
)
def test_unstorable_text_in_a_json_body_is_a_400_on_its_field(admin_api, body, field, message):
    response = post_raw(admin_api, body)
    assert response.status_code == 400
    [error] = response.json()["errors"][field]
    assert error.startswith(message)
    assert not City.objects.exists()


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_a_json_body_nested_too_deep_is_a_400(admin_api, depth):
    response = post_raw(admin_api, "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert f"nested more than {MAX_JSON_DEPTH} levels deep" in response.json()["detail"]


def test_a_json_body_over_the_limit_is_413(admin_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post_raw(admin_api, json.dumps({"name": "x" * 2_000}))
    assert response.status_code == 413
    assert "larger than 1,000 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe{}",
        '{"name": NaN}',
        '{"population": 1' + "0" * 5_000 + "}",
        '{"population": 1e999999, "name": "Big", "slug": "big", "country": "TH"}',
        '{"population": -99999999999999999999999, "name": "Neg", "slug": "neg", "country": "TH"}',
        '{"parent": 99999999999999999999999}',
    ],
)
def test_malformed_json_and_huge_numbers_are_a_4xx(admin_api, body):
    response = post_raw(admin_api, body)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("country", ["²", "9" * 5_000, {"code": "²"}])
def test_a_country_code_no_country_has_is_a_400_on_its_field(admin_api, country):
    """django-countries reads a str.isdigit() code with int(), which refuses these."""
    response = admin_api.post(
        "/api/v1/cities/", {"name": "X", "slug": "x", "country": country}, format="json"
    )
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
