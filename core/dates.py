"""Dates known to a day, a month or a year.

The source documents say "March–April 2026" or "2023" as often as "18 March 2026".
We store a real date range (first and last day of the period) plus its precision, so
range queries work, and we show the dates only as precisely as the source gave them.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# Every date a person enters lies in this range. It holds any record of city cooperation
# and catches a slip (0001, 9999) before it is stored: a year-9999 activity made the
# calendar feed and the programme report fail for everyone (the day or month after it is
# past what Python's dates can hold). The database refuses the rest (``date_in_range``).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_OUT_OF_RANGE = (
    f"Give a date between {EARLIEST_DATE.day} {EARLIEST_DATE:%B %Y} and "
    f"{LATEST_DATE.day} {LATEST_DATE:%B %Y}."
)


def validate_date_in_range(value: datetime.date) -> None:
    """Refuse a date outside ``EARLIEST_DATE``–``LATEST_DATE``, with a message for the field."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def date_in_range(field: str, prefix: str) -> models.CheckConstraint:
    """Return the database rule that ``field`` is empty or within the registry's dates."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__range": (EARLIEST_DATE, LATEST_DATE)}),
        name=f"{prefix}_{field}_in_range",
        violation_error_message=DATE_OUT_OF_RANGE,
    )


def clamp_date(value: datetime.date) -> datetime.date:
    """Return ``value`` moved into the registry's dates (for rows older than the rule)."""
    return min(max(value, EARLIEST_DATE), LATEST_DATE)


def period_start(date: datetime.date, precision: str) -> datetime.date:
    """Return the first day of the period that ``date`` falls in at ``precision``."""
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


def period_end(date: datetime.date, precision: str) -> datetime.date:
    """Return the last day of the period that ``date`` falls in at ``precision``."""
    if precision == DatePrecision.YEAR:
        return date.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


@dataclass(frozen=True)
class Period:
    """A date or period as a source gives it: first day, last day and precision."""

    start: datetime.date
    end: datetime.date
    precision: str


PRECISION_BY_PARTS = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH, 3: DatePrecision.DAY}


def parse_period(value) -> Period | None:
    """Parse "2026", "2026-03", "2026-03-18" or a range of two ("2026-03/2026-04") of
    equal precision into the period it names; raise ValueError on anything else."""
    if value in (None, ""):
        return None
    first, _, last = str(value).partition("/")
    start = _parse_point(first)
    if not last:
        return start
    end = _parse_point(last)
    if end.precision != start.precision:
        raise ValueError(f"“{value}”: give both ends of a period to the same precision")
    return Period(start.start, end.end, start.precision)


def _parse_point(text: str) -> Period:
    parts = [int(part) for part in text.strip().split("-")]
    if len(parts) not in PRECISION_BY_PARTS:
        raise ValueError(f"“{text}”: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    precision = PRECISION_BY_PARTS[len(parts)]
    date = datetime.date(*parts, *[1] * (3 - len(parts)))
    return Period(period_start(date, precision), period_end(date, precision), precision)


def format_date(date: datetime.date | None, precision: str) -> str:
    """Format one date as precisely as it is known ("18 Mar 2026", "Mar 2026", "2026")."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return date.strftime("%b %Y")
    return f"{date.day} {date.strftime('%b %Y')}"


def format_period(start: datetime.date | None, end: datetime.date | None, precision: str) -> str:
    """Format a period, collapsing what start and end share ("Mar–Apr 2026", "29–30 Jan 2026")."""
    if start is None:
        return ""
    if end is None or end == start:
        return format_date(start, precision)
    if precision == DatePrecision.YEAR:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == DatePrecision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return format_date(start, precision)
        if start.year == end.year:
            return f"{start.strftime('%b')}–{end.strftime('%b %Y')}"
        return f"{format_date(start, precision)} – {format_date(end, precision)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end.strftime('%b %Y')}"
    if start.year == end.year:
        return f"{start.day} {start.strftime('%b')} – {end.day} {end.strftime('%b %Y')}"
    return f"{format_date(start, precision)} – {format_date(end, precision)}"


def period_heading(date: datetime.date, precision: str) -> str:
    """Return the timeline heading a period starting on ``date`` is filed under: the year
    when only the year is known ("2025"), else the month ("March 2025")."""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    return date.strftime("%B %Y")


def group_by_period(records) -> list[tuple[str, list]]:
    """Return ``records`` (with ``start_date`` and ``date_precision``) grouped under their
    timeline headings, in date order; a year's year-only records come before its months.

    Records known only to the year start on 1 January: grouped by month they would read
    as January's (and split January's group wherever they sort between its records).
    """

    def key(record):
        start = record.start_date
        if record.date_precision == DatePrecision.YEAR:
            return (start.year, 0)
        return (start.year, start.month)

    groups: dict[tuple[int, int], tuple[str, list]] = {}
    for record in sorted(records, key=key):  # stable: each group keeps the given order
        heading = period_heading(record.start_date, record.date_precision)
        groups.setdefault(key(record), (heading, []))[1].append(record)
    return list(groups.values())
