"""Optimistic concurrency: no edit silently overwrites another.

Every editable record carries ``modified`` (a timestamp updated on each save). A form or
API client that read version V submits V back; the save locks the row (SELECT … FOR
UPDATE), and if the row's version is no longer V, it refuses with a ``ConflictError``
listing what changed meanwhile (from the change history), instead of overwriting it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.dateparse import parse_datetime


def version_of(instance: models.Model) -> str:
    """Return the opaque version token of a record (its ``modified`` timestamp, ISO)."""
    return version_at(instance.modified)


def version_at(modified: datetime.datetime | None) -> str:
    """Return the version token of a record last modified at ``modified``."""
    return modified.isoformat() if modified else ""


def etag_at(modified: datetime.datetime | None) -> str:
    """Return the ETag of a record last modified at ``modified`` (``etag_of`` without the
    record: a lean read has its row, not an instance)."""
    return f'W/"{version_at(modified)}"'


def etag_of(instance: models.Model) -> str:
    """Return the weak HTTP ETag of a record's current version: ``W/"<modified>"``.

    As NetBox's ``ETagMixin``: the version itself, so a stale ``If-Match`` says which
    version the client read, and what changed since is read from the history without
    looking the tag up. Weak, as a record's representation (its embedded summaries of
    other records) may change while its version does not.
    """
    return etag_at(instance.modified)


def version_in_etag(etag: str) -> str:
    """Return the version an ETag (weak or strong, as sent back) names."""
    return etag.strip().removeprefix("W/").strip('"')


@dataclass
class FieldChange:
    """One field another user changed since the version the client read."""

    field: str
    label: str
    before: object
    after: object


@dataclass
class ConflictError(Exception):
    """The record changed since the client read it; nothing was written."""

    instance: models.Model
    changes: list[FieldChange] = field(default_factory=list)

    def __str__(self):
        names = ", ".join(change.label for change in self.changes) or "the record"
        return (
            f"Someone else saved this {self.instance._meta.verbose_name} while you were "
            f"editing it (changed: {names}). Your changes were not saved: review theirs "
            f"below, then save again."
        )


def parse_version(text: str) -> datetime.datetime | None:
    """Return the moment a version names, or None if ``text`` names none: a version is a
    date and time with its offset, as ``modified`` is written (not a date alone, not a
    naive time, not "2026-13-45T00:00")."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def changes_since(instance: models.Model, version: str) -> list[FieldChange]:
    """Return what changed on ``instance`` after ``version``, from its change history
    (nothing, if ``version`` names no moment)."""
    from pghistory.models import Events

    since = parse_version(version) if version else None
    if version and since is None:
        return []
    events = Events.objects.tracks(instance).order_by("pgh_created_at", "pgh_id")
    merged: dict[str, list] = {}
    for event in events:
        # Each event snapshots the row; keep the saves made after the version read.
        saved_at = parse_datetime(str((event.pgh_data or {}).get("modified") or ""))
        if since is not None and (saved_at is None or saved_at <= since):
            continue
        for name, (before, after) in (event.pgh_diff or {}).items():
            if name == "modified":
                continue
            if name in merged:
                merged[name][1] = after
            else:
                merged[name] = [before, after]
    changes = []
    for name, (before, after) in merged.items():
        try:
            label = str(instance._meta.get_field(name).verbose_name)
        except Exception:  # a field the model no longer has
            label = name
        changes.append(FieldChange(name, label, before, after))
    return changes


def lock_for_update(instance: models.Model, expected_version: str | None) -> models.Model:
    """Lock the record's row for this transaction and check it is still at ``expected_version``.

    Call inside ``transaction.atomic()``. Raise ``ConflictError`` when another save came
    in between; return the locked, current row otherwise. ``None`` skips the check (for
    callers that read and write in one request, such as an API PATCH without If-Match).
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and version_of(current) != expected_version:
        raise ConflictError(current, changes_since(current, expected_version))
    return current


def changed_fields(candidate: models.Model, stored: models.Model, many=None) -> list[str]:
    """Return the names of the fields whose values ``candidate`` would change on ``stored``.

    A write that changes nothing writes nothing: no new ``modified``, ETag or history
    event. The timestamps themselves do not count; ``many`` maps many-to-many fields to
    the records a write would give them.
    """
    names = []
    for model_field in stored._meta.concrete_fields:
        if model_field.primary_key or model_field.generated:
            continue  # the database computes generated fields; no write sets them
        if getattr(model_field, "auto_now", False):
            continue
        if getattr(model_field, "auto_now_add", False):
            continue
        if model_field.value_from_object(candidate) != model_field.value_from_object(stored):
            names.append(model_field.name)
    for name, records in (many or {}).items():
        wanted = {getattr(record, "pk", record) for record in records}
        if wanted != set(getattr(stored, name).values_list("pk", flat=True)):
            names.append(name)
    return names
