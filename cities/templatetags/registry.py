"""Template tags every page of the registry uses: sortable headers, dates, badges.

They live in ``cities`` only because a tag library needs an installed app; they serve
every app (``{% load registry %}``).
"""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.dates import format_date, group_by_period

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, label, field):
    """Render a column header that sorts the list by ``field`` (click again to reverse)."""
    query = context["request"].GET.copy()
    current = query.get("ordering", "")
    if current == field:
        direction, next_ordering = "ascending", f"-{field}"
    elif current == f"-{field}":
        direction, next_ordering = "descending", field
    else:
        direction, next_ordering = "", field
    query["ordering"] = next_ordering
    query.pop("page", None)
    return {"label": label, "direction": direction, "url": f"?{query.urlencode()}"}


@register.simple_tag
def date_at(date, precision):
    """Format one date as precisely as it is known ("Mar 2026")."""
    return format_date(date, precision)


@register.filter
def datetime_attr(value):
    """Format a moment for ``<time datetime>``: UTC to the second (HTML allows at most three
    digits of a second's fraction, ``|date:'c'`` writes six)."""
    if not value:
        return ""
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


# Lists joined with separators are filtered first and then joined with
# ``{% if not forloop.last %}``: skipping items inside the loop left a trailing ", ".
@register.filter
def without(records, excluded):
    """Return ``records`` other than ``excluded`` (compared by primary key)."""
    if excluded is None:
        return list(records)
    return [record for record in records if record.pk != excluded.pk]


@register.filter
def partners_of(participants, city):
    """Return a pairing's participants other than ``city``'s own (all without a city)."""
    if not city:
        return list(participants)
    return [participant for participant in participants if participant.city_id != city.pk]


@register.filter
def by_period(records):
    """Group dated records under timeline headings ("2025", "March 2025")."""
    return group_by_period(records)


@register.simple_tag
def status_badge(record):
    """Render a record's status as a small labelled badge (and whether it is out of date)."""
    return format_html(
        '<span class="badge status-{}">{}</span>{}',
        record.status,
        record.get_status_display(),
        needs_update_badge(record),
    )


@register.simple_tag
def needs_update_badge(record):
    """Render "needs update" for a record whose status its dates have overtaken, else ""."""
    if not getattr(record, "needs_update", False):
        return ""
    return mark_safe(' <span class="badge needs-update">dates passed: needs update</span>')
