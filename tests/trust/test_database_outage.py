"""Without its database the registry answers 503 with Retry-After, and recovers by itself;
a write that committed is never answered as failed.

The outage is real: the connection is pointed at a folder where no PostgreSQL listens, or
its server process is ended (``pg_terminate_backend``) from a second connection.
"""

from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.db.models.signals import post_save
from django.test import Client

from activities.models import Activity
from core.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS
from programmes.models import Pairing
from tests import factories
from tests.pages import activity_data
from tests.trust.conftest import token_client

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable(empty_folder):
    """Point the default connection at ``empty_folder`` (no server's socket) until the end."""
    params = connection.settings_dict
    saved = params["HOST"]
    connection.close()
    params["HOST"] = str(empty_folder)
    try:
        yield
    finally:
        params["HOST"] = saved
        connection.close()


def end_server_process(pid: int) -> None:
    """End the PostgreSQL process serving ``pid``'s connection, from another connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # Waits (up to 5 s) until the process is gone, so its next query surely fails.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    finally:
        other.close()


@contextmanager
def connection_lost_on(model, *, when: str):
    """End the request's database connection when ``model`` is saved: ``when="commit"``
    right after its transaction commits, ``when="save"`` before (inside it)."""

    def lose_connection(**kwargs):
        with connection.cursor() as cursor:  # the same with psycopg2 and psycopg 3
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        if when == "commit":
            transaction.on_commit(lambda: end_server_process(pid))
        else:
            end_server_process(pid)

    post_save.connect(lose_connection, sender=model, dispatch_uid="lose-connection")
    try:
        yield
    finally:
        post_save.disconnect(sender=model, dispatch_uid="lose-connection")
        connection.close()


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def browser(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.fixture
def api(admin_user):
    client = token_client(admin_user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("url", ["/api/v1/cities/", "/api/v1/activities/?format=ics"])
def test_the_api_answers_503_json_with_retry_after_and_recovers(tmp_path, url):
    anonymous = Client(raise_request_exception=False)
    with database_unreachable(tmp_path):
        response = anonymous.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # The next request connects again by itself.
    assert anonymous.get(url).status_code == 200


def test_a_page_answers_503_with_a_sentence_and_recovers(tmp_path):
    anonymous = Client(raise_request_exception=False)
    with database_unreachable(tmp_path):
        response = anonymous.get("/cities/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert b"The registry is unavailable for a moment" in response.content
    assert f"Try again in {RETRY_AFTER_SECONDS} seconds".encode() in response.content
    assert anonymous.get("/cities/").status_code == 200


def test_a_signed_in_write_during_an_outage_is_503(tmp_path, browser, api):
    """The session, the user and the change history's context all need the database."""
    with database_unreachable(tmp_path):
        page = browser.post("/activities/new/", activity_data())
        written = api.post("/api/v1/activities/", {"title": "x", "start_date": "2026-03-01"})
    assert page.status_code == 503
    assert written.status_code == 503
    assert written.json() == {"detail": DATABASE_UNAVAILABLE}
    assert not Activity.objects.exists()


def test_an_api_create_that_committed_is_answered_201(api):
    with connection_lost_on(Activity, when="commit"):
        response = api.post(
            "/api/v1/activities/",
            {"title": "Study visit", "start_date": "2026-03-01"},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Study visit"
    assert Activity.objects.get().title == "Study visit"


def test_an_api_update_that_committed_is_answered_200(api):
    pairing = factories.PairingFactory(title="Before")
    with connection_lost_on(Pairing, when="commit"):
        response = api.patch(f"/api/v1/pairings/{pairing.pk}/", {"title": "After"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "After"
    assert len(response.json()["participants"]) == 2
    assert response.has_header("ETag")
    pairing.refresh_from_db()
    assert pairing.title == "After"


def test_a_page_save_that_committed_is_answered_with_its_redirect(browser):
    with connection_lost_on(Activity, when="commit"):
        response = browser.post("/activities/new/", activity_data(title="Study visit"))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()


def test_a_write_whose_answer_cannot_be_read_is_undone_and_answered_503(api):
    """The answer is read inside the transaction: if that fails, nothing was written."""
    with connection_lost_on(Activity, when="save"):
        response = api.post(
            "/api/v1/activities/",
            {"title": "Study visit", "start_date": "2026-03-01"},
            format="json",
        )
    assert response.status_code == 503
    assert not Activity.objects.exists()
