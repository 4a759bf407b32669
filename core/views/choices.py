"""Filter panels' option lists, read once per process for anonymous readers.

Every list page offers the programmes the reader may see; anonymous readers all see the
same ones, so their list is kept in the process (``cached_choices``) and read again only
after a change. A change is known by a version token in Django's cache, which the app
owning the records replaces on every save and delete (``choices_changed``, connected to
``post_save``/``post_delete``/``m2m_changed``): with Redis (``REDIS_URL``) every worker
sees the new token at once; with the process-local cache a worker learns of another's
change after ``CHOICES_MAX_AGE`` seconds at most, which also bounds what a write that
sends no signal (``QuerySet.update()``, raw SQL) leaves stale. Signed-in readers' lists
depend on what they manage and may view: theirs are read for them, each time.
"""

from __future__ import annotations

import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction

CHOICES_MAX_AGE = 10  # seconds a process trusts its lists without a signal of its own
VERSION_KEY = "filter-choices:version"
KEPT_LISTS = 512

_lists: dict = {}


def _version() -> str:
    # A token, not a counter: an evicted or cleared cache (a test's flush) gives a new one,
    # never an old number that a kept list was read under.
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def cached_choices(key: str, user, build) -> list:
    """Return ``build()``, the choices ``key`` offers ``user``; anonymous readers' kept."""
    if user is not None and user.is_authenticated:
        return build()
    version = _version()
    # Keyed by the database too: each test database has its own records.
    slot = (key, connection.settings_dict["NAME"])
    kept = _lists.get(slot)
    now = time.monotonic()
    if kept is not None and kept[0] == version and now - kept[1] < CHOICES_MAX_AGE:
        return kept[2]
    choices = build()
    if len(_lists) >= KEPT_LISTS:  # keys name the chosen programmes, which come from URLs
        _lists.clear()
    _lists[slot] = (version, now, choices)
    return choices


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def choices_changed(**kwargs) -> None:
    """Make every process read its option lists again (a signal receiver)."""
    _new_version()
    # Again once the change is committed: a list read in between, under the first new
    # token, could not see it yet.
    transaction.on_commit(_new_version, using=kwargs.get("using") or "default")
