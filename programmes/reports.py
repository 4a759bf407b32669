"""Programme reporting: the figures a donor report needs, read from the registry.

``programme_report`` returns plain data; the report page draws it (SVG charts) and the
CSV export writes it, so both always agree.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.db.models.functions import Coalesce, TruncDate

from activities.choices import ActivityStatus
from activities.models import Activity
from cities.models import City
from programmes.choices import PairingStatus
from programmes.models import Pairing, Programme


@dataclass
class MonthRow:
    """Activities of one month: held (or confirmed) against planned."""

    month: datetime.date
    held: int = 0
    planned: int = 0
    cancelled: int = 0


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
    programme: Programme, *, today: datetime.date, stale_months: int = 6, visible=None
) -> ProgrammeReport:
    """Return the report figures of ``programme`` as of ``today``.

    ``visible`` optionally filters pairings and activities (unpublished records stay out
    of reports for readers who may not see them).
    """
    pairings = Pairing.objects.filter(programme=programme)
    activities = Activity.objects.filter(programme=programme)
    if visible is not None:
        pairings, activities = pairings.filter(visible), activities.filter(visible)

    by_status = dict(pairings.values_list("status").annotate(n=Count("id")).order_by())
    pairings_by_status = {value: by_status.get(value, 0) for value in PairingStatus.values}

    months: dict[datetime.date, MonthRow] = {}
    dated = list(activities.values_list("start_date", "end_date", "status"))
    if dated:
        first = min(start for start, _, _ in dated)
        last = max(end for _, end, _ in dated)
        for month in _months_between(first, last):
            months[month] = MonthRow(month)
        for start, end, status in dated:
            # A month-range activity counts in each month it spans.
            for month in _months_between(start, end):
                row = months[month]
                if status in (ActivityStatus.HELD, ActivityStatus.CONFIRMED):
                    row.held += 1
                elif status == ActivityStatus.CANCELLED:
                    row.cancelled += 1
                else:
                    row.planned += 1

    city_ids = set(pairings.values_list("participants__city", flat=True)) | set(
        activities.values_list("cities", flat=True)
    )
    city_ids.discard(None)
    cities = list(City.objects.filter(pk__in=city_ids).order_by("country", "name"))
    countries = sorted(Counter(city.country.code for city in cities))

    threshold = _months_ago(today, stale_months)
    # Stale: still open, and nothing happened since the threshold (the last activity's
    # end, or else the pairing's own start date, or else when it was recorded).
    stale = list(
        pairings.exclude(status__in=[PairingStatus.COMPLETED, PairingStatus.CANCELLED])
        .annotate(
            last_seen=Coalesce(
                Max("activities__end_date"), "start_date", TruncDate("created")
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
    )
