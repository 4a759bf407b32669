"""Filter panels' option lists, read once per process for anonymous readers.

Every list page offers the programmes the reader may see; anonymous readers all see the
same ones, so their list is kept in the process (``kept_for_anonymous``) and read again only
after a change. A change is known by a version number in PostgreSQL, a sequence
(``VERSION_SEQUENCE``, created by ``CREATE_VERSION_SEQUENCE`` in the migration of the app
whose records the lists show), which that app advances on every save and delete
(``choices_changed``, connected to ``post_save``/``post_delete``): every worker and every
server reads the same number, so no process serves a list older than the last change —
an unpublished programme leaves the anonymous options at the next request everywhere.
Reading the number is one tiny statement instead of the lists' queries and rendering.
The dashboard's figures and lists are kept the same way (``kept_for_anonymous``): the
activities and sources apps advance the number on their writes too.
The map's data is kept the same way (``cached_answer``), in Django's cache, under the
version: every app whose records the map draws advances it on their writes too.
A write that sends no signal (``QuerySet.update()``, raw SQL) is not seen: nothing writes
these models that way. Signed-in readers' lists depend on what they manage and may view:
theirs are read for them, each time.
"""

from __future__ import annotations

import hashlib
import threading

from django.core.cache import cache
from django.core.signals import request_started
from django.db import connection, connections, transaction

from core.db_router import on_primary

VERSION_SEQUENCE = "registry_choices_version"
CREATE_VERSION_SEQUENCE = f"CREATE SEQUENCE IF NOT EXISTS {VERSION_SEQUENCE}"
DROP_VERSION_SEQUENCE = f"DROP SEQUENCE IF EXISTS {VERSION_SEQUENCE}"
KEPT_LISTS = 512

_lists: dict = {}
# The version read once per request: a page's several lists (programmes, streams,
# networks, themes) ask for it once. Forgotten when a request starts and when a list
# changes. None (a transaction that has written) is remembered too: it stays so.
_request = threading.local()
UNREAD = object()


def _forget_version(**kwargs) -> None:
    _request.version = UNREAD


request_started.connect(_forget_version, dispatch_uid="choices:forget-version")


def _version() -> int | None:
    """Return the lists' version, or None inside a transaction that has written: what it
    reads may yet be rolled back, so it is neither kept nor served from the kept lists."""
    with connection.cursor() as cursor:
        # last_value with is_called: a fresh sequence reads (1, false), after one nextval
        # (1, true); both together tell every state apart. nextval assigns no transaction
        # id, so only a transaction's own writes make the third column non-null.
        cursor.execute(
            f"SELECT last_value, is_called, txid_current_if_assigned() FROM {VERSION_SEQUENCE}"
        )
        value, called, writing = cursor.fetchone()
    return None if writing is not None else value * 2 + called


def registry_version() -> int | None:
    """Return the records' version for this request; None: keep nothing read now."""
    version = getattr(_request, "version", UNREAD)
    if version is UNREAD:
        version = _request.version = _version()
    return version


def kept_for_anonymous(key: str, user, build):
    """Return ``build()``, what ``key`` shows ``user``; anonymous readers' kept per process
    until the records' next change.

    ``build`` must read everything it returns (lists, not querysets), and ``key`` must
    name whatever else it depends on (the chosen programmes, the day).
    """
    if user is not None and user.is_authenticated:
        return build()
    version = registry_version()
    if version is None:
        return build()
    # Keyed by the database too: each test database has its own records.
    slot = (key, connection.settings_dict["NAME"])
    kept = _lists.get(slot)
    if kept is not None and kept[0] == version:
        return kept[1]
    with on_primary():  # kept under the primary's version: built from its data
        choices = build()
    if len(_lists) >= KEPT_LISTS:  # keys name the chosen programmes, which come from URLs
        _lists.clear()
    _lists[slot] = (version, choices)
    return choices


def cached_answer(key: str, build, timeout: int = 3600, keep=None) -> bytes:
    """Return ``build()``, kept in Django's cache until the records' next change.

    ``key`` must name everything the answer depends on besides the records (the reader's
    visibility, the filters): the version and the database are added here. Shared by
    every process when the cache is (Redis); per process otherwise. ``keep(answer)``,
    when given, says whether an answer is worth keeping (a large one is not: a
    process's cache holds hundreds of entries).
    """
    version = registry_version()
    if version is None:
        return build()
    # Hashed: an officer's key names their programmes, and cache keys stay short.
    named = f"{connection.settings_dict['NAME']}:{version}:{key}"
    slot = f"answer:{hashlib.sha256(named.encode()).hexdigest()}"
    kept = cache.get(slot)
    if kept is None:
        with on_primary():  # kept under the primary's version: built from its data
            kept = build()
        if keep is None or keep(kept):
            cache.set(slot, kept, timeout)
    return kept


def _new_version(using: str = "default") -> None:
    # nextval is not undone by a rollback: at worst a list is read again for nothing.
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT nextval('{VERSION_SEQUENCE}')")


def choices_changed(**kwargs) -> None:
    """Make every process read its option lists again (a signal receiver)."""
    using = kwargs.get("using") or "default"
    _forget_version()
    _new_version(using)
    # Again once the change is committed: a list read in between, under the first new
    # number, could not see it yet.
    transaction.on_commit(lambda: _new_version(using), using=using)
