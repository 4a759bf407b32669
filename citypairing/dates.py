"""Dates known to a day, a month or a year.

The source documents say "March–April 2026" or "2023" as often as "18 March 2026".
We store a real date range (first and last day of the period) plus its precision, so
range queries work, and we show the dates only as precisely as the source gave them.
"""

import calendar
import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


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
