"""ETag on detail responses, If-Match on writes (412 on mismatch), and a real race.

The race runs two threads, each with its own database connection, against PostgreSQL:
both PATCH the same pairing with the same If-Match at the same moment. Exactly one wins
(200), the other gets 412 listing the winner's change, and the winner's write is intact.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from tests.trust.conftest import build_world, token_client


def url_of(pairing) -> str:
    return f"/api/v1/pairings/{pairing.pk}/"


def test_stale_if_match_is_412_with_what_changed_and_nothing_written(world, officer_api):
    etag = officer_api.get(url_of(world.pairing_a))["ETag"]
    officer_api.patch(url_of(world.pairing_a), {"description": "theirs"}, format="json")
    stale = officer_api.patch(
        url_of(world.pairing_a), {"description": "mine"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    body = stale.json()
    assert "changed since you read it" in body["detail"]
    assert body["etag"] == officer_api.get(url_of(world.pairing_a))["ETag"]
    assert {
        "field": "description",
        "label": "Description",
        "before": "",
        "after": "theirs",
        "before_display": "—",
        "after_display": "theirs",
    } in body["changes"]
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.description == "theirs"
    # Retrying with the current ETag goes through.
    retried = officer_api.patch(
        url_of(world.pairing_a), {"description": "mine"}, format="json", HTTP_IF_MATCH=body["etag"]
    )
    assert retried.status_code == 200


def test_stale_if_match_read_from_the_tag_without_its_w_prefix(world, officer_api):
    # A client may send the tag back strong ("…") or weak (W/"…"): both name the version.
    etag = officer_api.get(url_of(world.pairing_a))["ETag"]
    officer_api.patch(url_of(world.pairing_a), {"description": "theirs"}, format="json")
    stale = officer_api.patch(
        url_of(world.pairing_a),
        {"description": "mine"},
        format="json",
        HTTP_IF_MATCH=etag.removeprefix("W/"),
    )
    assert stale.status_code == 412
    assert [change["field"] for change in stale.json()["changes"]] == ["description"]


@pytest.mark.parametrize(
    "sent",
    ['"2026-13-45T00:00:00+00:00"', '"9999-12-31"', '"2026-03-01T10:00:00"', '"3f1c"', "W/", '""'],
)
def test_if_match_naming_no_version_is_412_without_changes(world, officer_api, sent):
    response = officer_api.patch(
        url_of(world.pairing_a), {"description": "mine"}, format="json", HTTP_IF_MATCH=sent
    )
    assert response.status_code == 412
    assert response.json()["changes"] == []
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.description != "mine"


def test_writes_without_if_match_still_work(world, officer_api):
    response = officer_api.patch(url_of(world.pairing_a), {"description": "x"}, format="json")
    assert response.status_code == 200
    assert response["ETag"]


def test_if_match_star_and_lists_are_understood(world, officer_api):
    etag = officer_api.get(url_of(world.pairing_a))["ETag"]
    both = f'"nope", {etag}'
    assert (
        officer_api.patch(
            url_of(world.pairing_a), {"description": "a"}, format="json", HTTP_IF_MATCH=both
        ).status_code
        == 200
    )
    assert (
        officer_api.patch(
            url_of(world.pairing_a), {"description": "b"}, format="json", HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )


def test_schema_documents_if_match_and_412(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/?format=json").json()
    patch = schema["paths"]["/api/v1/pairings/{id}/"]["patch"]
    assert "412" in patch["responses"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}


def patch_in_thread(key, url, etag, description, barrier, outcome):
    """One writer: its own client and connection; waits for the other, then PATCHes."""
    from rest_framework.test import APIClient

    try:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        barrier.wait(timeout=10)
        response = client.patch(
            url, {"description": description}, format="json", HTTP_IF_MATCH=etag
        )
        outcome[description] = (response.status_code, response.json())
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_with_the_same_if_match_one_wins(django_user_model):
    from knox.models import AuthToken

    world = build_world(django_user_model)
    _, key = AuthToken.objects.create(user=world.officer, expiry=None)
    url = url_of(world.pairing_a)
    etag = token_client(world.officer).get(url)["ETag"]
    barrier = threading.Barrier(2)
    outcome = {}
    threads = [
        threading.Thread(
            target=patch_in_thread, args=(key, url, etag, description, barrier, outcome)
        )
        for description in ("Officer one's note", "Officer two's note")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    statuses = sorted(status for status, _ in outcome.values())
    assert statuses == [200, 412], outcome
    winner = next(d for d, (status, _) in outcome.items() if status == 200)
    loser_body = next(body for status, body in outcome.values() if status == 412)
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.description == winner  # the first write is intact
    assert [c["after"] for c in loser_body["changes"] if c["field"] == "description"] == [winner]
