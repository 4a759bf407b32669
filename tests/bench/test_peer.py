"""The benchmark's raw peer answers what the API answers, for each of its requests."""

from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.db import connection
from rest_framework.test import APIClient

from bench.peer import Peer
from tests.api import full_and_empty

ORIGIN = "http://testserver"


@pytest.fixture
def records(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    return full_and_empty.build()


@pytest.fixture
def peer(records):
    # The test's own connection: the peer reads the records this test has not committed.
    connection.ensure_connection()
    peer = Peer("")
    peer.connection = connection.connection
    return peer


def both(peer, url: str) -> tuple:
    app = APIClient().get(url)
    assert app.status_code == 200, app.content
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return orjson.loads(app.content), orjson.loads(peer.answer(parts.path, query, ORIGIN))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pairings/?page_size=50",
        "/api/v1/pairings/?page_size=2",
        "/api/v1/pairings/?page_size=2&modified_since=2000-01-01T00:00:00Z",
        f"/api/v1/activities/?month={full_and_empty.MONTH}",
        f"/api/v1/activities/?month={full_and_empty.MONTH}&page_size=2",
        "/api/v1/activities/?month=2026-02",
        "/api/v1/pairings/?pagination=cursor&page_size=2",
    ],
)
def test_the_peer_answers_lists_as_the_api(peer, url):
    app, raw = both(peer, url)
    assert raw == app
    assert raw["results"]


def test_the_peer_answers_a_cursor_page_and_the_next_as_the_api(peer):
    app, raw = both(peer, "/api/v1/pairings/?pagination=cursor&page_size=2")
    assert raw == app
    app, raw = both(peer, app["next"].removeprefix(ORIGIN))
    assert raw == app
    assert app["previous"]


def test_the_peer_answers_each_pairing_as_the_api(peer, records):
    for pairing in (records.full_pairing, records.empty_pairing, records.day_pairing):
        app, raw = both(peer, f"/api/v1/pairings/{pairing.pk}/")
        assert raw == app


def test_the_peer_shows_no_unpublished_pairing(peer, records):
    for pairing in (records.hidden_pairing, records.pairing_of_hidden_programme):
        assert peer.answer(f"/api/v1/pairings/{pairing.pk}/", {}, ORIGIN) is None


def test_the_peer_prepares_its_statements_as_the_app_does(peer):
    """A fair peer is spared planning as the app's repeated statements are: each of its
    statements is prepared once on its connection, and answers the same again."""
    first = both(peer, "/api/v1/pairings/?page_size=2")
    names = list(peer.statements.values())
    assert names and all(names)  # prepared, not refused
    assert both(peer, "/api/v1/pairings/?page_size=2") == first
    assert list(peer.statements.values()) == names  # not prepared again
