"""Intake's writes: proposing records from a source, and an officer's decisions on them.

``propose(source)`` is a plain function of a saved source (no request, no thread), so it
can run in the request for a news item or from a background queue for a long report.
Accepting writes the records and their citations in one transaction, recorded in the
history with the channel ``intake``.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from activities.models import Activity
from cities.gazetteer import normalize
from cities.models import City
from core.dates import DatePrecision, period_end
from intake.choices import CHANNEL_INTAKE, IntakeStatus, ProposalKind, ProposalStatus
from intake.models import IntakeRun, Proposal
from intake.proposals import propose as engine_propose
from intake.registry import CityRef, Registry
from programmes.choices import MemberType, ParticipantRole
from programmes.models import Membership, Network, Pairing, PairingParticipant
from programmes.services import ParticipantSpec, pairing_create
from sources.models import Citation, Source
from sources.services import citation_create

CHOOSE_A_CITY = (
    "“{name}” can mean several cities: choose one of them (its `city_id` or `geonames_id`) "
    "before accepting."
)
NOT_PROPOSED = "This proposal was {status} already: nothing was changed."
NEEDS_PROGRAMME = (
    "A pairing belongs to a programme, and this source has none: add the source to a "
    "programme first, or create the pairing from its programme's page."
)
TOO_FEW_CITIES = (
    "A pairing needs two or more cities of the registry: accept the cities first (or choose "
    "them where a name can mean several)."
)
NEEDS_COUNTRY = (
    "“{name}” is a place the gazetteer does not hold, and the document does not say its "
    "country: give its country (its ISO code, e.g. NP) before accepting."
)
NO_START = "Give the activity's start date (YYYY-MM-DD) before accepting it."
READING_FAILED = (
    "Reading the document for proposals failed ({reason}). “Find proposals again” tries "
    "once more; if it fails again, send the document to an administrator."
)
NOT_QUEUED = "The reading could not be queued ({reason}). “Find proposals again” tries once more."

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- proposing


def city_fields(ref: CityRef | None) -> dict | None:
    return dataclasses.asdict(ref) if ref is not None else None


def city_key(ref: dict | None, name: str) -> str:
    if ref and ref.get("city_id"):
        return f"city:{ref['city_id']}"
    if ref and ref.get("geonames_id"):
        return f"geonames:{ref['geonames_id']}"
    return f"name:{normalize(name)}"


def proposal_row(found) -> tuple[str, dict]:
    """Return (key, fields) of one engine proposal."""
    kind = found.kind
    if kind == ProposalKind.CITY:
        fields = {
            "name": found.name,
            "city": city_fields(found.city),
            "choices": [city_fields(c) for c in found.choices],
        }
        return f"city|{city_key(fields['city'], found.name)}", fields
    if kind == ProposalKind.NETWORK:
        fields = {"name": found.name, "acronym": found.acronym}
        return f"network|{normalize(found.acronym or found.name)}", fields
    if kind == ProposalKind.ACTIVITY:
        fields = {
            "title": found.title,
            "kind": found.activity_kind,
            "start_date": found.start_date.isoformat() if found.start_date else None,
            "end_date": found.end_date.isoformat() if found.end_date else None,
            "date_precision": found.date_precision or DatePrecision.DAY,
            "inferred_year": found.inferred_year,
            "date_text": found.date_text,
            "cities": [city_fields(c) for c in found.cities],
            "organisers": list(found.organisers),
        }
        return f"activity|{normalize(found.title)[:200]}|{fields['start_date']}", fields
    if kind == ProposalKind.PAIRING:
        participants = [
            {
                "name": p.name,
                "city": city_fields(p.city),
                "role": p.role,
                "role_text": p.role_text,
                "choices": [city_fields(c) for c in p.choices],
            }
            for p in found.participants
        ]
        keys = sorted(city_key(p["city"], p["name"]) for p in participants)
        return "pairing|" + "|".join(keys), {"participants": participants}
    fields = {
        "network": found.network,
        "network_id": found.network_id,
        "member_city": city_fields(found.member_city),
        "member_name": found.member_name,
        "member_type": found.member_type,
    }
    member = city_key(fields["member_city"], found.member_name)
    return f"membership|{normalize(found.network)}|{member}", fields


def propose(source: Source, *, registry: Registry | None = None) -> list[Proposal]:
    """Run the intake engine on ``source``'s text; store and return the new proposals.

    A proposal already decided on (accepted or rejected) is not proposed again; one still
    waiting is refreshed with what the engine finds now.
    """
    if not source.text.strip():
        return []
    found = engine_propose(source.document, registry or Registry.from_database())
    rows: dict[str, Proposal] = {}
    for item in found.all():
        key, fields = proposal_row(item)
        key = key[:300]
        if key in rows:
            continue
        rows[key] = Proposal(
            source=source,
            kind=item.kind,
            key=key,
            fields=fields,
            quote=item.quote[:2000],
            locator=str(item.locator),
            reason=item.how[:500],
            existing_id=item.existing,
        )
    with transaction.atomic():
        known = {p.key: p for p in Proposal.objects.select_for_update().filter(source=source)}
        new, changed = [], []
        for key, proposal in rows.items():
            old = known.get(key)
            if old is None:
                new.append(proposal)
            elif old.status == ProposalStatus.PROPOSED:
                for name in ("fields", "quote", "locator", "reason", "existing_id"):
                    setattr(old, name, getattr(proposal, name))
                changed.append(old)
        Proposal.objects.bulk_create(new)
        for proposal in changed:
            proposal.save()
    return new


# --------------------------------------------------------------------------- in the background


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())[:300]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _defer(source_id: int) -> None:
    """Queue the job (after the commit that queued the run); one waiting job per source."""
    from procrastinate.exceptions import AlreadyEnqueued

    from intake.tasks import propose_source

    try:
        propose_source.configure(queueing_lock=f"intake.propose:{source_id}").defer(
            source_id=source_id
        )
    except AlreadyEnqueued:
        pass  # a job for this source waits already: it reads the text as it is now
    except Exception as error:
        logger.exception("Queueing the reading of source %s failed", source_id)
        IntakeRun.objects.filter(source_id=source_id).update(
            status=IntakeStatus.FAILED,
            error=NOT_QUEUED.format(reason=_reason(error)),
            finished_at=timezone.now(),
        )


def intake_queue(source: Source) -> IntakeRun:
    """Queue the background reading of ``source`` for proposals (the job is deferred once
    this transaction commits; a run queued already is left as it is)."""
    with transaction.atomic():
        run, created = IntakeRun.objects.select_for_update().get_or_create(
            source=source, defaults={"queued_at": timezone.now()}
        )
        if created or run.status != IntakeStatus.QUEUED:
            run.status, run.error = IntakeStatus.QUEUED, ""
            run.queued_at, run.finished_at = timezone.now(), None
            run.save()
        transaction.on_commit(lambda: _defer(source.pk))
    return run


def intake_run(source_id: int, *, raise_errors: bool = True) -> IntakeRun | None:
    """Read the source ``source_id`` for proposals and record the outcome on its run:
    done with how many were new, or failed with a sentence (raised again for the job
    queue's own record unless ``raise_errors`` is False). None if the source is gone.

    Idempotent: ``propose`` proposes nothing twice, and two runs of one source take turns
    (its run's row is locked while proposing).
    """
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    with transaction.atomic():
        run, _ = IntakeRun.objects.select_for_update().get_or_create(
            source=source, defaults={"queued_at": timezone.now()}
        )
        run.status = IntakeStatus.RUNNING
        run.save(update_fields=["status", "modified"])
    try:
        with transaction.atomic():
            run = IntakeRun.objects.select_for_update().get(pk=run.pk)
            found = propose(source)
            run.status, run.error, run.proposed = IntakeStatus.DONE, "", len(found)
            run.finished_at = timezone.now()
            run.save()
    except Exception as error:
        logger.exception("Proposing records from source %s failed", source_id)
        IntakeRun.objects.filter(pk=run.pk).update(
            status=IntakeStatus.FAILED,
            error=READING_FAILED.format(reason=_reason(error)),
            proposed=0,
            finished_at=timezone.now(),
            modified=timezone.now(),
        )
        if raise_errors:
            raise
        run.refresh_from_db()
    return run


# --------------------------------------------------------------------------- deciding


def _decided(proposal: Proposal, *, user, status: str, record_id: int | None = None) -> None:
    proposal.status = status
    proposal.reviewer = user if user is not None and user.is_authenticated else None
    proposal.decided_at = timezone.now()
    proposal.record_id = record_id
    proposal.save()


def _locked(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)
    if locked.status != ProposalStatus.PROPOSED:
        raise ValidationError(NOT_PROPOSED.format(status=locked.get_status_display().lower()))
    return locked


def proposal_reject(*, proposal: Proposal, user) -> Proposal:
    """Reject a proposal: it is not proposed again for this source."""
    with transaction.atomic(), pghistory.context(channel=CHANNEL_INTAKE):
        proposal = _locked(proposal)
        _decided(proposal, user=user, status=ProposalStatus.REJECTED)
    return proposal


def proposal_accept(*, proposal: Proposal, user, edits: dict | None = None) -> Proposal:
    """Accept a proposal (with the officer's ``edits`` to its fields): create or update
    its record and cite the source for it, all in one transaction."""
    with transaction.atomic(), pghistory.context(channel=CHANNEL_INTAKE):
        proposal = _locked(proposal)
        fields = {**proposal.fields, **(edits or {})}
        record = ACCEPT[proposal.kind](proposal, fields)
        _cite(proposal, record)
        proposal.fields = fields
        _decided(proposal, user=user, status=ProposalStatus.ACCEPTED, record_id=record.pk)
    return proposal


def proposals_accept_all(*, source: Source, kind: str, user) -> tuple[int, list[str]]:
    """Accept every waiting proposal of ``kind``; return how many, and why others were not
    (each one in its own transaction: one that cannot be accepted does not stop the rest)."""
    accepted, problems = 0, []
    for proposal in source.proposals.filter(kind=kind, status=ProposalStatus.PROPOSED):
        try:
            proposal_accept(proposal=proposal, user=user)
        except ValidationError as error:
            problems.append(f"{proposal.label}: {' '.join(error.messages)}")
        else:
            accepted += 1
    return accepted, problems


def proposals_reject_all(*, source: Source, kind: str, user) -> int:
    """Reject every waiting proposal of ``kind``; return how many."""
    rejected = 0
    for proposal in source.proposals.filter(kind=kind, status=ProposalStatus.PROPOSED):
        proposal_reject(proposal=proposal, user=user)
        rejected += 1
    return rejected


def _cite(proposal: Proposal, record) -> Citation:
    # The quote is the source's own text: the check finds it and computes its locator.
    return citation_create(source=proposal.source, record=record, quote=proposal.quote)


# --------------------------------------------------------------------------- records


def _free_slug(model, name: str, country: str = "") -> str:
    base = slugify(name)[:80] or model._meta.model_name
    candidates = [base, f"{base}-{country.lower()}"] if country else [base]
    for candidate in candidates:
        if not model.objects.filter(slug=candidate).exists():
            return candidate
    number = 2
    while model.objects.filter(slug=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


def city_for(ref: dict | None, *, name: str = "", create: bool = True) -> City | None:
    """Return the registry city a reference means, creating it from the gazetteer."""
    if not ref:
        return None
    if ref.get("city_id"):
        return City.objects.filter(pk=ref["city_id"]).first()
    if ref.get("geonames_id"):
        city = City.objects.filter(geonames_id=ref["geonames_id"]).first()
        if city is not None or not create:
            return city
    if not create:
        return None
    city = City(
        name=ref.get("name") or name,
        country=ref.get("country") or "",
        admin_area=(ref.get("admin_area") or "")[:100],
        population=ref.get("population") or None,
        geonames_id=ref.get("geonames_id") or None,
    )
    city.slug = _free_slug(City, city.name, str(city.country))
    city.full_clean()
    city.save()
    return city


def _chosen_city(fields: dict, name: str) -> City:
    ref = fields.get("city")
    if not ref and fields.get("city_id"):
        ref = {"city_id": fields["city_id"]}
    if not ref and fields.get("geonames_id"):
        ref = next(
            (c for c in fields.get("choices", []) if c.get("geonames_id") == fields["geonames_id"]),
            {"geonames_id": fields["geonames_id"], "name": name},
        )
    if not ref:
        raise ValidationError(CHOOSE_A_CITY.format(name=name))
    city = city_for(ref, name=name)
    if city is None:
        raise ValidationError({"city_id": "No city of the registry has this id."})
    return city


def accept_city(proposal: Proposal, fields: dict) -> City:
    ref = fields.get("city") or {}
    if ref and not (ref.get("city_id") or ref.get("geonames_id")):
        # A place no gazetteer holds: the officer may correct its name and give its country.
        name = (fields.get("name") or ref.get("name") or "").strip()
        country = (fields.get("country") or ref.get("country") or "").strip().upper()
        if not country:
            raise ValidationError({"country": NEEDS_COUNTRY.format(name=name)})
        fields["city"] = {**ref, "name": name, "country": country}
    return _chosen_city(fields, fields.get("name", ""))


def accept_network(proposal: Proposal, fields: dict) -> Network:
    if proposal.existing_id and not fields.get("new"):
        network = Network.objects.filter(pk=proposal.existing_id).first()
        if network is not None:
            return network
    name = (fields.get("name") or "").strip()
    acronym = (fields.get("acronym") or "").strip()
    same = Network.objects.filter(name__iexact=name).first() or (
        acronym and Network.objects.filter(acronym__iexact=acronym).first()
    )
    if same:
        return same
    network = Network(name=name, acronym=acronym)
    network.slug = _free_slug(Network, acronym or name)
    network.full_clean()
    network.save()
    return network


def _date(value, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: "Give the date as YYYY-MM-DD."}) from None


def _cities(refs: Iterable[dict | None]) -> list[City]:
    cities = []
    for ref in refs:
        city = city_for(ref, create=False)
        if city is not None and city not in cities:
            cities.append(city)
    return cities


def accept_activity(proposal: Proposal, fields: dict) -> Activity:
    start = _date(fields.get("start_date"), "start_date")
    end = _date(fields.get("end_date"), "end_date")
    precision = fields.get("date_precision") or DatePrecision.DAY
    if proposal.existing_id and not fields.get("new"):
        activity = Activity.objects.filter(pk=proposal.existing_id).first()
        if activity is not None:
            # Only what is new: its cities.
            activity.cities.add(*_cities(fields.get("cities", [])))
            return activity
    if start is None:
        raise ValidationError({"start_date": NO_START})
    activity = Activity(
        title=(fields.get("title") or "").strip()[:300],
        kind=fields.get("kind") or Activity._meta.get_field("kind").default,
        start_date=start,
        end_date=end or period_end(start, precision),
        date_precision=precision,
        programme=proposal.source.programme,
        # Published with its source: an unpublished source's facts stay with its officers.
        is_published=proposal.source.programme_id is None or proposal.source.is_published,
    )
    activity.full_clean()
    activity.save()
    cities = _cities(fields.get("cities", []))
    activity.cities.add(*cities)
    organisers = [
        network
        for name in fields.get("organisers", [])
        if (
            network := Network.objects.filter(name__iexact=name).first()
            or Network.objects.filter(acronym__iexact=name).first()
        )
    ]
    activity.organisers.add(*organisers)
    return activity


def accept_pairing(proposal: Proposal, fields: dict) -> Pairing:
    participants = fields.get("participants", [])
    specs: list[ParticipantSpec] = []
    for participant in participants:
        city = city_for(participant.get("city"), create=False) if participant.get("city") else None
        if city is None and participant.get("city_id"):
            city = City.objects.filter(pk=participant["city_id"]).first()
        if city is not None and all(spec.city_id != city.pk for spec in specs):
            role = participant.get("role") or ParticipantRole.PARTNER
            specs.append(ParticipantSpec(city_id=city.pk, role=role))
    if len(specs) < 2:
        raise ValidationError(TOO_FEW_CITIES)
    if proposal.existing_id and not fields.get("new"):
        pairing = Pairing.objects.filter(pk=proposal.existing_id).first()
        if pairing is not None:
            known = set(pairing.participants.values_list("city_id", flat=True))
            PairingParticipant.objects.bulk_create(
                PairingParticipant(pairing=pairing, city_id=s.city_id, role=s.role)
                for s in specs
                if s.city_id not in known
            )
            return pairing
    programme = proposal.source.programme
    if programme is None:
        raise ValidationError(NEEDS_PROGRAMME)
    try:
        with transaction.atomic():
            return pairing_create(
                programme=programme,
                participants=specs,
                is_published=proposal.source.is_published,
            )
    except IntegrityError:
        raise ValidationError(
            "These cities are paired in this programme already: accept it as the existing "
            "pairing's citation instead."
        ) from None


def accept_membership(proposal: Proposal, fields: dict) -> Membership:
    network = None
    if fields.get("network_id"):
        network = Network.objects.filter(pk=fields["network_id"]).first()
    if network is None and fields.get("network"):
        network = Network.objects.filter(name__iexact=fields["network"]).first()
    if network is None:
        raise ValidationError(
            {"network_id": "Accept the network first, or give its id as `network_id`."}
        )
    city = city_for(fields.get("member_city"), name=fields.get("member_name", ""))
    if city is None:
        raise ValidationError(
            {
                "member_city": "Only cities can be accepted as members here: add an "
                "organisation's membership from the network's page."
            }
        )
    member_type = fields.get("member_type") or MemberType.FULL
    membership, _ = Membership.objects.get_or_create(
        network=network, city=city, defaults={"member_type": member_type}
    )
    return membership


ACCEPT = {
    ProposalKind.CITY: accept_city,
    ProposalKind.NETWORK: accept_network,
    ProposalKind.ACTIVITY: accept_activity,
    ProposalKind.PAIRING: accept_pairing,
    ProposalKind.MEMBERSHIP: accept_membership,
}
