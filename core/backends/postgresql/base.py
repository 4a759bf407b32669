"""Django's PostgreSQL backend, whose check of a kept connection sends no statement.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before a request reuses it,
with ``SELECT 1``: a round trip to the server on every request, a tenth of a small API
read's time under load. An idle connection's socket has nothing to read, because the
server writes only in answer to a statement, except when something happened: a server
that ends the connection (a restart, ``pg_terminate_backend``, an idle timeout) writes
its FATAL message and closes the socket, and a notification or a notice may arrive
unasked. So a connection that is open, idle outside any transaction and has nothing
waiting on its socket is usable as it is; any other is checked Django's way, whose
``SELECT 1`` also reads whatever waits and tells a harmless message from an ended
connection. A server that vanished without a word (a cable cut) is found by neither
check until a statement times out; TCP keepalives are for that.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base

try:
    from psycopg import pq
except ImportError:  # psycopg2: Django's own check only
    pq = None


def quiet(raw) -> bool:
    """Return whether the driver's connection ``raw`` is open and idle, with nothing to read."""
    if pq is None or not hasattr(raw, "pgconn") or raw.closed or raw.broken:
        return False
    if raw.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        socket = raw.pgconn.socket
    except Exception:  # noqa: BLE001 - the driver's refusal: an unusable connection
        return False
    poller = select.poll()
    poller.register(socket, select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is not None and quiet(self.connection):
            return True
        return super().is_usable()
