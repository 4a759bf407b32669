"""Send reads to a read replica when one is configured (``DATABASE_REPLICA_URL``).

- Reads inside a transaction (every write path is one: services, form saves, API writes,
  row locks for concurrency checks) stay on the primary, so a write never works from a
  lagging copy; other reads go to the replica. Migrations run on the primary only.
- **Read-your-writes:** for ``REPLICA_PIN_SECONDS`` after a reader wrote (a write request
  that succeeded), their reads stay on the primary (``ReadYourWritesMiddleware``: a
  cookie, and for API clients without cookies a mark kept under their credentials).
- **A replica that is down, or lagging** more than ``REPLICA_MAX_LAG_SECONDS`` behind
  the primary, is skipped: reads go to the primary until a check finds it well again.
  Each process checks at most once every ``REPLICA_CHECK_SECONDS``.

Without a replica Django never consults this router.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

REPLICA = "replica"
PIN_COOKIE = "registry_primary"
# Set per request by ReadYourWritesMiddleware: this request's reads stay on the primary.
pinned = contextvars.ContextVar("pinned_to_primary", default=False)

# How far behind the primary the replica is, in seconds: 0 while it has replayed all it
# received (an idle primary sends nothing, and the last replayed transaction ages).
LAG_SQL = """SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END"""


@contextlib.contextmanager
def on_primary():
    """Read from the primary inside this block: what is kept under the records' version
    (read from the primary) must be built from the primary's data, or a lagging
    replica's rows would stay kept under the newer version until the next change."""
    token = pinned.set(True)
    try:
        yield
    finally:
        pinned.reset(token)


def pin_seconds() -> float:
    return float(getattr(settings, "REPLICA_PIN_SECONDS", 5))


class ReplicaHealth:
    """Whether the replica may serve reads now: checked at most once per interval."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = True

    def forget(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")

    def ok(self) -> bool:
        now = time.monotonic()
        interval = float(getattr(settings, "REPLICA_CHECK_SECONDS", 1))
        if now - self.checked_at < interval:
            return self.usable
        with self.lock:
            if now - self.checked_at >= interval:
                self.usable = self.check()
                self.checked_at = time.monotonic()
        return self.usable

    def check(self) -> bool:
        limit = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 10))
        connection = connections[REPLICA]
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                (lag,) = cursor.fetchone()
        except DatabaseError:
            # Down or unreachable: drop the broken connection, use the primary meanwhile.
            with contextlib.suppress(DatabaseError):
                connection.close()
            return False
        return float(lag) <= limit


health = ReplicaHealth()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if connections["default"].in_atomic_block or pinned.get():
            return "default"
        return REPLICA if health.ok() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def credentials_mark(request) -> str | None:
    """Return the cache key marking a token client's recent write, or None."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if not authorization:
        return None
    return "wrote:" + hashlib.sha256(authorization.encode()).hexdigest()


class ReadYourWritesMiddleware:
    """Keep a reader's reads on the primary for a few seconds after they wrote.

    A write is a request of another method than GET, HEAD or OPTIONS answered below 400.
    The reader is recognised by a cookie (browsers, and API clients that keep cookies)
    or, for a token, by a mark in the cache under its credentials (shared by every
    process when the cache is, Redis; per process otherwise).
    """

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mark = credentials_mark(request)
        recent = PIN_COOKIE in request.COOKIES or (mark is not None and cache.get(mark))
        token = pinned.set(bool(recent))
        try:
            response = self.get_response(request)
        finally:
            pinned.reset(token)
        if request.method not in self.SAFE and response.status_code < 400:
            seconds = pin_seconds()
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=max(1, round(seconds)),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            if mark is not None:
                cache.set(mark, True, seconds)
        return response
