"""A kept connection is checked before a request reuses it without a statement sent
(core.backends.postgresql), and an ended one is still found and replaced."""

import psycopg
import pytest
from django.db import connections

from core.backends.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection to the test database, as a worker keeps one between requests."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def observer(kept):
    """A third connection, in autocommit, that watches and ends the kept one."""
    with psycopg.connect(**kept.get_connection_params(), autocommit=True) as conn:
        yield conn


def last_statement(observer, pid: int) -> str:
    found = observer.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
    return found.fetchone()[0]


def test_the_project_uses_the_backend_in_every_case(kept):
    assert isinstance(kept, DatabaseWrapper)
    assert kept.settings_dict["ENGINE"] == "core.backends.postgresql"


def test_an_idle_connection_is_usable_without_a_statement(kept, observer):
    pid = kept.connection.info.backend_pid
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the request before'")
    assert kept.is_usable()
    assert last_statement(observer, pid) == "SELECT 'the request before'"


def test_an_ended_connection_is_found_and_replaced(kept, observer):
    pid = kept.connection.info.backend_pid
    observer.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    assert not kept.is_usable()
    # As Django does when a request starts: the failed check closes it, the next use
    # connects again, and the request is answered.
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is None
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_with_something_to_read_is_checked_with_a_statement(kept, observer):
    pid = kept.connection.info.backend_pid
    with kept.cursor() as cursor:
        cursor.execute("LISTEN registry_check")
    observer.execute("NOTIFY registry_check")
    observer.execute("SELECT pg_sleep(0.05)")
    # A notification waits on the socket: the connection is fine, and Django's check
    # (a statement) says so.
    assert kept.is_usable()
    assert last_statement(observer, pid) == "SELECT 1"


def test_a_connection_inside_a_transaction_is_checked_with_a_statement(kept, observer):
    pid = kept.connection.info.backend_pid
    kept.connection.execute("BEGIN")
    assert kept.is_usable()
    assert last_statement(observer, pid) == "SELECT 1"
    kept.connection.execute("ROLLBACK")
