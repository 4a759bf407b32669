"""Request headers a client controls, sent hostile values: no 5xx.

Authorization (tokens), If-Match and If-None-Match (ETags), content negotiation, CORS,
proxies' X-Forwarded-For, htmx's headers and cookies reach token lookups, the login
throttle's records and the concurrency checks. Header values travel as Latin-1 (what
WSGI can carry): a hostile value outside it is sent as its UTF-8 bytes.
"""

import pytest
from django.test import Client

from tests.hostile import hostile_values, sample

HEADERS = (
    "HTTP_AUTHORIZATION",
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ORIGIN",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_COOKIE",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_X_CSRFTOKEN",
)


def as_header(text: str) -> str:
    """Return ``text`` as a WSGI header value (Latin-1 characters)."""
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("latin-1")


def requests(registry):
    """Return (method, address, body) of the requests each header is tried on."""
    return [
        ("PATCH", f"/api/v1/pairings/{registry.pairing.pk}/", '{"title": "Renamed"}'),
        ("GET", "/activities/?q=visit", ""),
        ("POST", "/accounts/login/", "username=officer&password=wrong"),
    ]


@pytest.mark.parametrize("header", HEADERS)
def test_hostile_header_values_never_make_a_request_fail(fuzz_registry, fuzz_clients, header):
    failures = []
    index = HEADERS.index(header)
    for method, url, body in requests(fuzz_registry):
        content_type = (
            "application/json" if url.startswith("/api/") else "application/x-www-form-urlencoded"
        )
        for value in sample(hostile_values(), index, len(HEADERS)):
            client = Client(raise_request_exception=False)
            client.force_login(fuzz_registry.admin)
            response = client.generic(
                method, url, body, content_type=content_type, **{header: as_header(value.text)}
            )
            if response.status_code >= 500:
                failures.append(f"{method} {url} {header}={value} -> {response.status_code}")
    assert not failures, "\n".join(failures)
