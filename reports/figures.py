"""Programme reporting: the figures a donor report needs, read from the registry.

``programme_report`` returns plain data; the report page draws it (SVG charts) and the
CSV export writes it, so both always agree.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from activities.choices import ActivityStatus
from activities.models import Activity
from cities.models import City
from core.dates import DatePrecision, clamp_date
from programmes.choices import PairingStatus
from programmes.models import Pairing, Programme


@dataclass
class MonthRow:
    """Activities of one month: held (or confirmed) against planned."""

    month: datetime.date
    held: int = 0
    planned: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.held + self.planned + self.cancelled


@dataclass
class YearRow:
    """Activities known only to the year ("2023"): counted once, not in each month."""

    year: int
    held: int = 0
    planned: int = 0
    cancelled: int = 0


def _count(row, status: str) -> None:
    if status in (ActivityStatus.HELD, ActivityStatus.CONFIRMED):
        row.held += 1
    elif status == ActivityStatus.CANCELLED:
        row.cancelled += 1
    else:
        row.planned += 1


@dataclass
class ProgrammeReport:
    programme: Programme
    today: datetime.date
    pairings_by_status: dict[str, int]
    months: list[MonthRow]
    cities: list[City]
    countries: list[str]
    stale_pairings: list[Pairing]
    upcoming: list[Activity]
    stale_months: int = 6
    totals: dict[str, int] = field(default_factory=dict)
    years: list[YearRow] = field(default_factory=list)
    # Planned or confirmed, though their dates have passed: nobody said how they went.
    needs_update: list[Activity] = field(default_factory=list)


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(today.day, 28))


def programme_report(
    programme: Programme,
    *,
    today: datetime.date,
    stale_months: int = 6,
    visible: Q | Callable[[QuerySet], QuerySet] | None = None,
) -> ProgrammeReport:
    """Return the report figures of ``programme`` as of ``today``.

    ``visible`` optionally filters pairings and activities (unpublished records stay out
    of reports for readers who may not see them): a Q both models understand, or a
    function that narrows a queryset (e.g. ``lambda qs: visible_to(user, qs)``).

    Activities dated to the day or month count in each month they span; those known only
    to the year count once, in ``years``, so a "2023" event does not fill twelve months.
    """
    pairings = Pairing.objects.filter(programme=programme)
    activities = Activity.objects.filter(programme=programme)
    if callable(visible):
        pairings, activities = visible(pairings), visible(activities)
    elif visible is not None:
        pairings, activities = pairings.filter(visible), activities.filter(visible)

    by_status = dict(pairings.values_list("status").annotate(n=Count("id")).order_by())
    pairings_by_status = {value: by_status.get(value, 0) for value in PairingStatus.values}

    months: dict[datetime.date, MonthRow] = {}
    years: dict[int, YearRow] = {}
    # Dates are clamped to the registry's range: a row stored before the rule (or by raw
    # SQL) from year 1 to 9999 would be 120,000 months and overflow Python's dates.
    dated = [
        (clamp_date(start), clamp_date(end), status, precision)
        for start, end, status, precision in activities.values_list(
            "start_date", "end_date", "status", "date_precision"
        )
    ]
    by_month = [row for row in dated if row[3] != DatePrecision.YEAR]
    if by_month:
        first = min(start for start, _, _, _ in by_month)
        last = max(end for _, end, _, _ in by_month)
        for month in _months_between(first, last):
            months[month] = MonthRow(month)
    for start, end, status, precision in dated:
        if precision == DatePrecision.YEAR:
            for year in range(start.year, end.year + 1):
                _count(years.setdefault(year, YearRow(year)), status)
            continue
        # A month-range activity counts in each month it spans.
        for month in _months_between(start, end):
            _count(months[month], status)

    city_ids = set(pairings.values_list("participants__city", flat=True)) | set(
        activities.values_list("cities", flat=True)
    )
    city_ids.discard(None)
    cities = list(City.objects.filter(pk__in=city_ids).order_by("country", "name"))
    countries = sorted(Counter(city.country.code for city in cities))

    threshold = _months_ago(today, stale_months)
    # Stale: still open, and nothing happened since the threshold: the end of its last
    # activity that was not cancelled, or else its last status change, its own start
    # date, or when it was recorded.
    stale = list(
        pairings.exclude(status__in=[PairingStatus.COMPLETED, PairingStatus.CANCELLED])
        .annotate(
            last_seen=Coalesce(
                Max(
                    "activities__end_date",
                    filter=~Q(activities__status=ActivityStatus.CANCELLED),
                ),
                Max("status_changes__changed_on"),
                "start_date",
                TruncDate("created"),
            )
        )
        .filter(last_seen__lt=threshold)
        .order_by("last_seen", "title")
    )
    upcoming = list(
        activities.upcoming(today, 90)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(end_date__gte=today)
        .select_related("location_city")
        .order_by("start_date")
    )
    needs_update = list(
        activities.needs_update(today)
        .select_related("location_city")
        .order_by("start_date", "end_date", "title")
    )
    totals = {
        "pairings": sum(pairings_by_status.values()),
        "activities": len(dated),
        "cities": len(cities),
        "countries": len(countries),
    }
    return ProgrammeReport(
        programme=programme,
        today=today,
        pairings_by_status=pairings_by_status,
        months=list(months.values()),
        cities=cities,
        countries=countries,
        stale_pairings=stale,
        upcoming=upcoming,
        stale_months=stale_months,
        totals=totals,
        years=[years[year] for year in sorted(years)],
        needs_update=needs_update,
    )
