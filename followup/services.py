"""What an officer should follow up: the items of "My work" and of a programme's report.

``my_work(user, now=None)`` is the one read: the page, the programme report and the
digest e-mail ask it. Each item links to its record and to the action that resolves it.
A fixed number of queries whatever the number of programmes and items (one per section).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import DateField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from partners.choices import PartnerRequestStatus
from partners.models import PartnerRequest
from programmes.choices import PairingStatus
from programmes.models import Pairing, PairingStatusChange, Programme
from programmes.rules import managed_programme_ids

UPCOMING_DAYS = 30
# Pairings expected to show activity: those agreed or under way.
LIVE_STATUSES = (PairingStatus.AGREED, PairingStatus.ACTIVE)


def silent_months() -> int:
    """Months without activity after which a live pairing needs a word (a setting)."""
    return settings.FOLLOWUP_SILENT_MONTHS


def proposed_days() -> int:
    """Days a proposed pairing may wait for a decision (a setting)."""
    return settings.FOLLOWUP_PROPOSED_DAYS


@dataclass(frozen=True)
class Item:
    """One thing to follow up: the record, why, and the action that resolves it."""

    kind: str
    record: object
    title: str
    url: str
    detail: str = ""
    date: datetime.date | None = None
    action_label: str = ""
    action_url: str = ""
    programme: object = None
    # False when the action only reads (a programme's report): anyone shown it may take it.
    action_writes: bool = True


@dataclass
class Section:
    """A kind of item ("Activities that need an update"), with what it means when empty."""

    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)


@dataclass
class WorkList:
    """What ``user`` should follow up on ``today``, section by section."""

    user: object
    today: datetime.date
    programmes: list
    sections: list[Section]

    @property
    def count(self) -> int:
        """Return the number of items to act on (the programmes themselves aside)."""
        return sum(len(section.items) for section in self.sections if section.key != "programmes")

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


# Sections other apps add (intake: sources with proposals not yet reviewed), each
# ``hook(user, programmes, today) -> Section | None``, registered in their ready().
SECTION_HOOKS: list = []


def register_work_section(hook) -> None:
    """Add ``hook``'s section to every work list (after the built-in ones).

    Extension point for intake: "sources with proposals not yet reviewed" lands with the
    intake branch, which registers its section here.
    """
    if hook not in SECTION_HOOKS:
        SECTION_HOOKS.append(hook)


def today_for(now: datetime.datetime | None) -> datetime.date:
    """Return the local date of ``now`` (in the current time zone; now if None)."""
    return timezone.localdate(now or timezone.now())


def my_work(user, now: datetime.datetime | None = None) -> WorkList:
    """Return what ``user`` should follow up in the programmes their network runs or
    partners in (nothing for someone who is no programme officer)."""
    programmes = list(Programme.objects.visible_to(user).filter(pk__in=managed_programme_ids(user)))
    return work_list(user, programmes, today_for(now), include_programmes=True)


def programme_work(programme, user, now: datetime.datetime | None = None) -> WorkList:
    """Return the same items for one programme, as ``user`` may see them (its report)."""
    return work_list(user, [programme], today_for(now), include_programmes=False)


def work_list(user, programmes, today, *, include_programmes: bool) -> WorkList:
    ids = [programme.pk for programme in programmes]
    sections = []
    if include_programmes:
        sections.append(programme_section(programmes))
    sections += [
        upcoming_section(user, ids, today),
        needs_update_section(user, ids, today),
        silent_section(user, ids, today),
        proposed_section(user, ids, today),
        requests_section(user, ids),
    ]
    for hook in SECTION_HOOKS:
        if (section := hook(user, programmes, today)) is not None:
            sections.append(section)
    return WorkList(user=user, today=today, programmes=programmes, sections=sections)


def _in_programmes(ids, prefix: str = "") -> Q:
    return Q(**{f"{prefix}programme_id__in": ids})


def activities_of(user, ids):
    """Return the activities of the programmes ``ids`` that ``user`` may see."""
    in_programmes = (
        _in_programmes(ids) | _in_programmes(ids, "stream__") | _in_programmes(ids, "pairing__")
    )
    return (
        Activity.objects.visible_to(user)
        .filter(in_programmes)
        .select_related("programme", "stream__programme", "pairing__programme")
    )


def _activity_programme(activity):
    return (
        activity.programme
        or getattr(activity.stream, "programme", None)
        or getattr(activity.pairing, "programme", None)
    )


def activity_item(activity, *, detail: str, date, action_label: str) -> Item:
    """Return an activity's item, resolved on its edit page."""
    return Item(
        kind="activity",
        record=activity,
        title=activity.title,
        url=activity.get_absolute_url(),
        detail=detail,
        date=date,
        action_label=action_label,
        action_url=reverse("activities:activity_update", args=[activity.pk]),
        programme=_activity_programme(activity),
    )


def programme_section(programmes) -> Section:
    return Section(
        key="programmes",
        title="Your programmes",
        empty="Your network runs or partners in no programme yet: ask an administrator.",
        items=[
            Item(
                kind="programme",
                record=programme,
                title=str(programme),
                url=programme.get_absolute_url(),
                detail=programme.get_status_display(),
                action_label="Report",
                action_url=reverse("programmes:programme_report", args=[programme.slug]),
                programme=programme,
                action_writes=False,
            )
            for programme in programmes
        ],
    )


def upcoming_section(user, ids, today) -> Section:
    activities = (
        activities_of(user, ids)
        .upcoming(today, UPCOMING_DAYS)
        .order_by("start_date", "title", "id")
    )
    return Section(
        key="upcoming",
        title=f"Activities in the next {UPCOMING_DAYS} days",
        empty=f"No activity in the next {UPCOMING_DAYS} days.",
        items=[
            activity_item(
                activity,
                detail=f"{activity.period_display} · {activity.get_status_display()}",
                date=activity.start_date,
                action_label="Edit",
            )
            for activity in activities
        ],
    )


def needs_update_section(user, ids, today) -> Section:
    activities = activities_of(user, ids).needs_update(today).order_by("end_date", "title", "id")
    return Section(
        key="needs_update",
        title="Activities whose dates have passed (need an update)",
        empty="Every past activity says whether it was held or cancelled.",
        items=[
            activity_item(
                activity,
                detail=f"{activity.period_display} · still {activity.get_status_display().lower()}",
                date=activity.end_date,
                action_label="Say if it was held",
            )
            for activity in activities
        ],
    )


def _months_before(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return datetime.date(year, month + 1, day)


def _pairings(user, ids):
    return (
        Pairing.objects.visible_to(user)
        .filter(programme_id__in=ids)
        .select_related("programme")
        .order_by("programme__name", "title", "id")
    )


def silent_section(user, ids, today) -> Section:
    months = silent_months()
    since = _months_before(today, months)
    recent = Activity.objects.filter(pairing=OuterRef("pk"), end_date__gte=since)
    pairings = (
        _pairings(user, ids)
        .filter(status__in=LIVE_STATUSES, created__date__lt=since)
        .filter(~Exists(recent))
    )
    return Section(
        key="silent",
        title=f"Pairings with no activity for {months} months",
        empty=f"Every live pairing had an activity in the last {months} months.",
        items=[
            Item(
                kind="pairing",
                record=pairing,
                title=pairing.title or str(pairing),
                url=pairing.get_absolute_url(),
                detail=f"{pairing.get_status_display()} · {pairing.programme}",
                action_label="Record an activity",
                action_url=f"{reverse('activities:activity_create')}?pairing={pairing.pk}",
                programme=pairing.programme,
            )
            for pairing in pairings
        ],
    )


def proposed_section(user, ids, today) -> Section:
    days = proposed_days()
    proposed_on = PairingStatusChange.objects.filter(
        pairing=OuterRef("pk"), status=PairingStatus.PROPOSED
    ).order_by("-changed_on")
    pairings = (
        _pairings(user, ids)
        .filter(status=PairingStatus.PROPOSED)
        .annotate(
            proposed_on=Coalesce(
                Subquery(proposed_on.values("changed_on")[:1]),
                Cast("created", DateField()),
            )
        )
        .filter(proposed_on__lt=today - datetime.timedelta(days=days))
    )
    return Section(
        key="proposed",
        title=f"Proposed pairings waiting longer than {days} days",
        empty=f"No proposed pairing has waited longer than {days} days.",
        items=[
            Item(
                kind="pairing",
                record=pairing,
                title=pairing.title or str(pairing),
                url=pairing.get_absolute_url(),
                detail=f"Proposed on {pairing.proposed_on:%-d %b %Y} · {pairing.programme}",
                date=pairing.proposed_on,
                action_label="Agree or cancel it",
                action_url=reverse("programmes:pairing_update", args=[pairing.pk]),
                programme=pairing.programme,
            )
            for pairing in pairings
        ],
    )


def requests_section(user, ids) -> Section:
    requests = (
        PartnerRequest.objects.visible_to(user)
        .filter(programme_id__in=ids, status=PartnerRequestStatus.OPEN)
        .select_related("city", "programme")
        .order_by("deadline", "-created", "id")
    )
    return Section(
        key="requests",
        title="Open partner requests",
        empty="No open partner request.",
        items=[
            Item(
                kind="partner_request",
                record=request,
                title=str(request),
                url=request.get_absolute_url(),
                detail=f"Deadline {request.deadline:%-d %b %Y}" if request.deadline else "",
                date=request.deadline,
                action_label="Find partners",
                action_url=reverse("partners:city_partners", args=[request.city.slug]),
                programme=request.programme,
            )
            for request in requests
        ],
    )
