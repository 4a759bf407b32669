"""The API read lane (``core.wsgi``): cookieless reads of the API take a shorter middleware
list, and answer exactly what the whole stack answers; the kept CSP header and the orjson
renderer write what django-csp and DRF write."""

import datetime
import decimal
import gc
import io
import json
import sys
import uuid

import orjson
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.test.client import ClientHandler
from django.utils.translation import gettext_lazy
from knox.models import AuthToken
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.test import APIClient

from core.api.jsonrenderer import FastJSONRenderer
from core.api.views import RegistryViewSet
from core.wsgi import (
    RegistryWSGIHandler,
    api_read_middleware,
    get_wsgi_application,
    is_cookieless_api_read,
)
from tests import factories
from tests.api.data import build_registry

# Headers that differ between two answers for reasons of their own.
VOLATILE = {"Date"}


class LaneClientHandler(ClientHandler):
    """The test client's handler over the API read lane's middleware."""

    def load_middleware(self, is_async=False):
        with api_read_middleware():
            super().load_middleware(is_async)


def lane_client(**credentials) -> APIClient:
    client = APIClient()
    client.handler = LaneClientHandler(enforce_csrf_checks=False)
    client.credentials(**credentials)
    return client


def answer(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in VOLATILE}
    headers["Vary"] = sorted(v.strip() for v in headers.get("Vary", "").split(","))
    return response.status_code, headers, response.content


def differences(lane_response, full_response) -> dict:
    """Return what differs between two answers (status, each header, body)."""
    lane, full = answer(lane_response), answer(full_response)
    found = {}
    if lane[0] != full[0]:
        found["status"] = (lane[0], full[0])
    for header in set(lane[1]) | set(full[1]):
        if lane[1].get(header) != full[1].get(header):
            found[header] = (lane[1].get(header), full[1].get(header))
    if lane[2] != full[2]:
        found["body"] = (lane[2][:300], full[2][:300])
    return found


@pytest.fixture
def registry(db, no_throttling):
    return build_registry()


def paths_of(r) -> list[str]:
    return [
        "/api/v1/",
        "/api/v1/pairings/",
        f"/api/v1/pairings/{r.pairing.pk}/",
        f"/api/v1/pairings/{r.pairing.pk}/?format=csv",
        "/api/v1/pairings/?pagination=cursor&page_size=1",
        "/api/v1/activities/?month=2025-04",
        "/api/v1/cities/?q=Iloilo",
        "/api/v1/cities/?format=geojson",
        "/api/v1/pairings/999999/",  # 404
        "/api/v1/pairings/?page=99",  # a page past the end
        "/api/v1/pairings/?status=nonsense",  # a refused filter
        "/api/v1/pairings/?q=a%00b",  # input PostgreSQL cannot store
        "/api/v1/pairings",  # the missing slash: redirected
        "/api/v1/no-such-thing/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ]


def test_cookieless_api_reads_answer_as_the_whole_stack_does(registry):
    full, lane = APIClient(), lane_client()
    for path in paths_of(registry):
        assert not differences(lane.get(path), full.get(path)), path
    etag = full.get("/api/v1/pairings/")["ETag"]
    conditional = {"HTTP_IF_NONE_MATCH": etag}
    assert not differences(
        lane.get("/api/v1/pairings/", **conditional), full.get("/api/v1/pairings/", **conditional)
    )
    assert lane.get("/api/v1/pairings/", **conditional).status_code == 304


def test_a_token_reads_the_same_through_the_lane(registry, django_user_model):
    officer = django_user_model.objects.create_superuser("officer", password="x")
    registry.pairing.is_published = False
    registry.pairing.save()
    _, key = AuthToken.objects.create(user=officer, expiry=None)
    full, lane = APIClient(), lane_client(HTTP_AUTHORIZATION=f"Token {key}")
    full.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    detail = f"/api/v1/pairings/{registry.pairing.pk}/"
    assert lane.get(detail).status_code == 200  # an administrator sees the unpublished pairing
    assert not differences(lane.get(detail), full.get(detail))
    bad = lane_client(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get(detail).status_code == 401
    assert lane_client().get(detail).status_code == 404


def test_lane_answers_vary_on_cookie_and_token(registry):
    vary = lane_client().get("/api/v1/pairings/")["Vary"]
    assert {"Cookie", "Authorization"} <= {v.strip() for v in vary.split(",")}


def wsgi_environ(path: str, method: str = "GET", **extra) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "SCRIPT_NAME": "",
        "REMOTE_ADDR": "127.0.0.1",
        **extra,
    }


def test_only_cookieless_api_reads_take_the_lane():
    assert is_cookieless_api_read(wsgi_environ("/api/v1/pairings/"))
    assert is_cookieless_api_read(wsgi_environ("/api/v1/pairings/", "HEAD"))
    assert not is_cookieless_api_read(wsgi_environ("/api/v1/pairings/", "POST"))
    assert not is_cookieless_api_read(wsgi_environ("/api/v1/pairings/", "OPTIONS"))
    assert not is_cookieless_api_read(wsgi_environ("/api/v1/pairings/", HTTP_COOKIE="a=b"))
    assert not is_cookieless_api_read(wsgi_environ("/pairings/"))


@pytest.fixture
def wsgi_application(db):
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield RegistryWSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(application, environ) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    response = application(environ, start_response)
    body = b"".join(response)
    response.close()
    return seen["status"], seen["headers"], body


def test_the_served_application_routes_cookieless_reads_to_the_lane(wsgi_application, registry):
    lane_middleware = {type(m).__name__ for m in chain_of(wsgi_application.api_reads)}
    full_middleware = {type(m).__name__ for m in chain_of(wsgi_application)}
    assert "SessionMiddleware" in full_middleware and "SessionMiddleware" not in lane_middleware
    assert "CookielessReadMiddleware" in lane_middleware
    taken = []
    api_reads = wsgi_application.api_reads
    wsgi_application.api_reads = lambda environ, start: taken.append(1) or api_reads(environ, start)
    status, headers, body = call(wsgi_application, wsgi_environ("/api/v1/pairings/"))
    assert status == "200 OK" and taken == [1]
    assert "Bangkok – Iloilo" in {r["title"] for r in json.loads(body)["results"]}
    # A cookie (a signed-in reader's session) takes the whole stack.
    status, headers, body = call(
        wsgi_application, wsgi_environ("/api/v1/pairings/", HTTP_COOKIE="sessionid=x")
    )
    assert status == "200 OK" and taken == [1]
    call(wsgi_application, wsgi_environ("/pairings/"))
    assert taken == [1]


def test_the_served_application_leaves_its_start_up_heap_out_of_full_collections():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    application = get_wsgi_application()
    assert isinstance(application, RegistryWSGIHandler)
    # Django's models, URL patterns and settings: well over ten thousand objects.
    assert gc.get_freeze_count() > 10_000
    frozen = gc.get_freeze_count()
    gc.collect()  # a full collection walks only what came after
    # Frozen objects stay frozen: the application is not among those the collector
    # walks. One whose last reference goes is still freed by its count, so the number
    # may fall a little (another test's leftovers), never grow back.
    assert not any(o is application for o in gc.get_objects())
    assert frozen - 10_000 < gc.get_freeze_count() <= frozen


@pytest.mark.parametrize(
    "path, query",
    [("/api/v1/pairings/", "page_size=5"), ("/api/v1/pairings/", "pagination=cursor")],
)
def test_a_sent_answer_is_freed_without_the_garbage_collector(
    wsgi_application, registry, path, query
):
    # A cycle (view, request, response) frees its page only in a full collection, which
    # runs rarely: a long cursor walk grew a worker by hundreds of MB.
    def alive() -> list:
        # type(), not isinstance(): the latter evaluates lazy objects (a CSP nonce).
        kinds = (RegistryViewSet, Response)
        return [o for o in gc.get_objects() if issubclass(type(o), kinds)]

    gc.collect()
    gc.disable()
    try:
        before = {id(o) for o in alive()}
        status, _, body = call(wsgi_application, wsgi_environ(path, QUERY_STRING=query))
        made = [o for o in alive() if id(o) not in before]
    finally:
        gc.enable()
    views = [o for o in made if issubclass(type(o), RegistryViewSet)]
    responses = [o for o in made if issubclass(type(o), Response)]
    assert status == "200 OK" and json.loads(body)["results"]
    assert all(not vars(view) for view in views)
    assert not responses


def chain_of(handler: WSGIHandler) -> list:
    """Return the middleware instances of ``handler``'s chain, outermost first."""
    found, step = [], handler._middleware_chain
    while step is not None:
        middleware = getattr(step, "__closure__", None)
        instance = None
        for cell in middleware or ():
            contents = cell.cell_contents
            if hasattr(contents, "get_response"):
                instance = contents
        if instance is None:
            break
        found.append(instance)
        step = instance.get_response
    return found


# --- The kept CSP header ------------------------------------------------------------------


def test_kept_policy_is_django_csp_policy(client, db):
    from csp.utils import build_policy

    response = client.get("/cities/")
    assert response["Content-Security-Policy"] == build_policy()
    # A view that changes the policy (the API docs' inline styles) still gets its own.
    docs = client.get("/api/v1/docs/")
    if docs.status_code == 200:
        assert "'unsafe-inline'" in docs["Content-Security-Policy"]


def test_kept_policy_follows_a_changed_setting(client, db):
    changed = {**settings.CONTENT_SECURITY_POLICY}
    changed["DIRECTIVES"] = {**changed["DIRECTIVES"], "img-src": ["'self'", "tiles.example"]}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert "tiles.example" in client.get("/cities/")["Content-Security-Policy"]
    assert "tiles.example" not in client.get("/cities/")["Content-Security-Policy"]


# --- The orjson renderer --------------------------------------------------------------------


def test_fast_renderer_writes_what_drf_writes_once_parsed(db):
    data = {
        "text": "Bangkok – Iloilo \u2028 ✓",
        "lazy": gettext_lazy("Pairing"),
        "cost": decimal.Decimal("1234.50"),
        "when": datetime.datetime(2025, 4, 1, 12, 30, 5, 120000, tzinfo=datetime.UTC),
        "day": datetime.date(2025, 4, 1),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "nested": [{"a": None, "b": True, "c": 1.5}, (1, 2)],
        3: "an integer key",
        "city": factories.CityFactory.build(name="Iloilo").name,
    }
    fast = FastJSONRenderer().render(data)
    assert json.loads(fast) == json.loads(JSONRenderer().render(data))
    assert json.loads(fast)["when"] == "2025-04-01T12:30:05.120000Z"
    # Indented on request, by DRF's renderer; too large for orjson, by DRF's too.
    indented = FastJSONRenderer().render(data, "application/json; indent=2")
    assert indented == JSONRenderer().render(data, "application/json; indent=2")
    huge = {"n": 2**70}
    assert FastJSONRenderer().render(huge) == JSONRenderer().render(huge)
    assert orjson.loads(FastJSONRenderer().render([orjson.Fragment(b'{"a":1}')])) == [{"a": 1}]


# --- Content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, accept",
    [("", None), ("", "*/*"), ("format=csv", None), ("format=json", "*/*"), ("", "text/csv")],
)
def test_negotiation_chooses_what_drf_chooses(rf, query, accept):
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request

    from core.api.negotiation import RegistryContentNegotiation
    from core.api.renderers import CSVRenderer, XLSXRenderer

    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    request = Request(rf.get(f"/api/v1/pairings/?{query}", **headers))
    renderers = [FastJSONRenderer(), CSVRenderer(), XLSXRenderer()]
    ours = RegistryContentNegotiation().select_renderer(request, renderers)
    drf = DefaultContentNegotiation().select_renderer(request, renderers)
    assert (type(ours[0]), ours[1]) == (type(drf[0]), drf[1])
