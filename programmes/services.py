"""Writes that touch several objects: pairings with their participants and status history.

Views, forms, the API, admin and importers call these, so a rule holds everywhere.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.dates import DatePrecision
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Pairing, PairingParticipant, PairingStatusChange


@dataclass(frozen=True)
class ParticipantSpec:
    """A city to take part in a pairing, with its role."""

    city_id: int
    role: str = ParticipantRole.PARTNER
    note: str = ""


def pairing_find_duplicate(
    *, programme_id: int, stream_id: int | None, city_ids: Iterable[int], exclude_pk=None
) -> Pairing | None:
    """Return a pairing of the same programme and stream with exactly these cities, if any."""
    wanted = sorted(set(city_ids))
    if not wanted:
        return None
    candidates = (
        Pairing.objects.filter(
            programme_id=programme_id, stream_id=stream_id, participants__city_id=wanted[0]
        )
        .exclude(pk=exclude_pk)
        .prefetch_related("participants")
    )
    for candidate in candidates:
        if sorted(p.city_id for p in candidate.participants.all()) == wanted:
            return candidate
    return None


def validate_participants(
    *,
    programme_id: int,
    stream_id: int | None,
    participants: Sequence[ParticipantSpec],
    exclude_pk=None,
) -> None:
    """Raise ValidationError unless the participants make a valid, new pairing."""
    city_ids = [spec.city_id for spec in participants]
    if len(set(city_ids)) != len(city_ids):
        raise ValidationError(
            {"participants": "A city appears twice: a city cannot be paired with itself."}
        )
    if len(city_ids) < 2:
        raise ValidationError({"participants": "A pairing needs at least two cities."})
    duplicate = pairing_find_duplicate(
        programme_id=programme_id, stream_id=stream_id, city_ids=city_ids, exclude_pk=exclude_pk
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "participants": f"These cities are already paired in this programme and "
                f"stream: “{duplicate.title}” (#{duplicate.pk}). Edit that pairing instead."
            }
        )


def _check_city_sets_now() -> None:
    """Run the deferred unique-city-set check now, turning a clash into a ValidationError."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS pairing_unique_city_set IMMEDIATE")
            cursor.execute("SET CONSTRAINTS pairing_unique_city_set DEFERRED")
    except IntegrityError as error:
        raise ValidationError(
            {"participants": "These cities are already paired in this programme and stream."}
        ) from error


def default_title(cities: Sequence) -> str:
    """Return a readable title from the cities' names: "Taichung – Prato"."""
    return " – ".join(city.name for city in cities)[:300]


@transaction.atomic
def pairing_create(
    *,
    programme,
    participants: Sequence[ParticipantSpec],
    stream=None,
    title: str = "",
    status: str = PairingStatus.PROPOSED,
    status_date: datetime.date | None = None,
    **fields,
) -> Pairing:
    """Create a pairing with its participants and first status, checking every rule."""
    validate_participants(
        programme_id=programme.pk,
        stream_id=stream.pk if stream else None,
        participants=participants,
    )
    themes = fields.pop("themes", ())
    pairing = Pairing(programme=programme, stream=stream, title=title, status=status, **fields)
    if not pairing.title:
        from cities.models import City

        cities = City.objects.in_bulk([spec.city_id for spec in participants])
        pairing.title = default_title([cities[spec.city_id] for spec in participants])
    pairing.full_clean()
    pairing.save()
    pairing.themes.set(themes)
    PairingParticipant.objects.bulk_create(
        PairingParticipant(pairing=pairing, city_id=s.city_id, role=s.role, note=s.note)
        for s in participants
    )
    _record_status_change(
        pairing=pairing,
        status=status,
        changed_on=status_date,
        precision=DatePrecision.DAY,
        note="",
    )
    _check_city_sets_now()
    return pairing


@transaction.atomic
def pairing_set_participants(
    *, pairing: Pairing, participants: Sequence[ParticipantSpec]
) -> Pairing:
    """Replace a pairing's participants, keeping the rows of cities that stay."""
    validate_participants(
        programme_id=pairing.programme_id,
        stream_id=pairing.stream_id,
        participants=participants,
        exclude_pk=pairing.pk,
    )
    wanted = {spec.city_id: spec for spec in participants}
    existing = {p.city_id: p for p in pairing.participants.all()}
    pairing.participants.exclude(city_id__in=wanted).delete()
    for city_id, spec in wanted.items():
        current = existing.get(city_id)
        if current is None:
            PairingParticipant.objects.create(
                pairing=pairing, city_id=city_id, role=spec.role, note=spec.note
            )
        elif (current.role, current.note) != (spec.role, spec.note):
            current.role, current.note = spec.role, spec.note
            current.save(update_fields=["role", "note"])
    _check_city_sets_now()
    return pairing


@transaction.atomic
def pairing_set_status(
    *,
    pairing: Pairing,
    status: str,
    changed_on: datetime.date | None = None,
    precision: str = DatePrecision.DAY,
    note: str = "",
) -> Pairing:
    """Move a pairing to ``status`` and record the step in its status history."""
    if status not in PairingStatus.values:
        raise ValidationError({"status": f"“{status}” is not a pairing status."})
    if status == pairing.status:
        return pairing
    pairing.status = status
    pairing.save(update_fields=["status", "modified"])
    _record_status_change(
        pairing=pairing, status=status, changed_on=changed_on, precision=precision, note=note
    )
    return pairing


def _record_status_change(*, pairing, status, changed_on, precision, note) -> None:
    """Add a step to the pairing's status history, after the steps before it, not in the
    future; the pairing's status must already be ``status`` (it is the latest step)."""
    change = PairingStatusChange(
        pairing=pairing,
        status=status,
        changed_on=changed_on or timezone.localdate(),
        date_precision=precision,
        note=note,
    )
    change.full_clean()
    change.save()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS pairing_status_history IMMEDIATE")
            cursor.execute("SET CONSTRAINTS pairing_status_history DEFERRED")
    except IntegrityError as error:  # a writer that went round clean(): say it in words
        raise ValidationError(
            {"changed_on": "Status changes must move forward in time, not into the future."}
        ) from error
