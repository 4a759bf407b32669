"""Activities as an iCalendar feed (RFC 5545) for partners' calendars.

Built from the API's representation of activities, so the feed says what the API says.
Dates are known to the day, the month or the year, and each becomes what a calendar can
honestly show:

- known to the day: an all-day event over its days;
- known to the month ("May 2026", "Mar–Apr 2026"): an all-day event over the whole
  month(s), marked free (``TRANSP:TRANSPARENT``) so that a month-long bar does not make
  the reader busy, its description saying that the day is not known yet. The month is
  what the source promises, and a reader can plan around it;
- known only to the year ("2023"): left out, and the feed's description says how many
  and links to them. A calendar places events on days; a 365-day event would cover every
  day of the reader's year with a banner that says no more than "some time in 2023", and
  an event on 1 January would state a date that no source gives.

Every event has a plain-text description (what, when, where, who, programme, link back)
and its kind's name as category, in the words the pages use.
"""

import datetime
from collections.abc import Iterable, Mapping

import icalendar
from django.urls import reverse

from activities.choices import ActivityKind, ActivityStatus
from core.dates import DatePrecision

PRODID = "-//City Pairing Registry//Activities//EN"
CALENDAR_NAME = "City Pairing Registry: activities"
# How often a subscribed calendar should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=12)

EVENT_STATUS = {
    ActivityStatus.PLANNED: "TENTATIVE",
    ActivityStatus.CONFIRMED: "CONFIRMED",
    ActivityStatus.HELD: "CONFIRMED",
    ActivityStatus.CANCELLED: "CANCELLED",
}


def _datetime(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(datetime.UTC)


def _label(choices, value) -> str:
    """Return the label of ``value`` among ``choices`` (the value itself if unknown)."""
    try:
        return choices(value).label
    except ValueError:
        return str(value or "")


def _names(items) -> str:
    return ", ".join(item["name"] for item in items or () if item and item.get("name"))


def is_in_feed(activity: Mapping) -> bool:
    """Return True if the activity is dated precisely enough (day or month) for a calendar."""
    return activity.get("date_precision") != DatePrecision.YEAR


def event_description(activity: Mapping) -> str:
    """Return the event's plain-text description: what, when, where, who, programme, link."""
    status = _label(ActivityStatus, activity.get("status"))
    lines = [
        " · ".join(part for part in (_label(ActivityKind, activity.get("kind")), status) if part)
    ]
    when = activity.get("period") or ""
    if activity.get("date_precision") == DatePrecision.MONTH:
        when += " (the source gives only the month: the day is not known yet)"
    lines.append(f"When: {when}")
    host = (activity.get("location_city") or {}).get("name")
    if where := ", ".join(part for part in (activity.get("location"), host) if part):
        lines.append(f"Where: {where}")
    if cities := _names(activity.get("cities")):
        lines.append(f"Cities: {cities}")
    if organisers := _names(activity.get("organisers")):
        lines.append(f"Organised by: {organisers}")
    programme = " — ".join(
        name
        for name in (
            (activity.get("programme") or {}).get("name"),
            (activity.get("stream") or {}).get("name"),
        )
        if name
    )
    if programme:
        lines.append(f"Programme: {programme}")
    if pairing := (activity.get("pairing") or {}).get("title"):
        lines.append(f"Pairing: {pairing}")
    if text := (activity.get("description") or "").strip():
        lines += ["", text]
    if outcomes := (activity.get("outcomes") or "").strip():
        lines += ["", f"Outcomes: {outcomes}"]
    if link := activity.get("web_url"):
        lines += ["", f"More: {link}"]
    return "\n".join(lines)


def activity_event(activity: Mapping) -> icalendar.Event:
    """Return the all-day VEVENT for one activity (as the API represents it)."""
    start = datetime.date.fromisoformat(activity["start_date"])
    end = datetime.date.fromisoformat(activity.get("end_date") or activity["start_date"])
    event = icalendar.Event()
    event.add("uid", f"activity-{activity['id']}@citypairing")
    event.add("summary", activity["title"])
    event.add("dtstart", start)
    # DTEND of a date is exclusive; the last day a date can hold has no day after it.
    if end < datetime.date.max:
        event.add("dtend", end + datetime.timedelta(days=1))
    if activity.get("date_precision") == DatePrecision.MONTH:
        event.add("transp", "TRANSPARENT")
    modified = _datetime(activity.get("modified")) or datetime.datetime.now(datetime.UTC)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    if created := _datetime(activity.get("created")):
        event.add("created", created)
    if status := EVENT_STATUS.get(activity.get("status")):
        event.add("status", status)
    if activity.get("kind"):
        event.add("categories", [_label(ActivityKind, activity["kind"])])
    places = [activity.get("location") or "", (activity.get("location_city") or {}).get("name")]
    if location := ", ".join(place for place in places if place):
        event.add("location", location)
    event.add("description", event_description(activity))
    if url := activity.get("web_url") or activity.get("url"):
        event.add("url", url)
    return event


def list_page_url(request) -> str:
    """Return the absolute address of the activity list filtered like ``request`` (a feed's
    request), or "" without a request."""
    from activities.filtersets import ActivityFilterSet
    from core.views.lists import only_params

    if request is None:
        return ""
    query = only_params(request.GET, ActivityFilterSet.base_filters).urlencode()
    path = reverse("activities:activity_list")
    return request.build_absolute_uri(f"{path}?{query}" if query else path)


def calendar_description(left_out: int, list_url: str = "") -> str:
    """Return the feed's description: what it holds, and what it leaves out and where."""
    text = (
        "Activities of city-to-city cooperation from the City Pairing Registry, as all-day "
        "events. Activities known only to the month span that month and leave you free."
    )
    if left_out:
        where = f": {list_url}" if list_url else " on the registry's activity list."
        text += (
            f" {left_out} activit{'y' if left_out == 1 else 'ies'} dated only to the year "
            f"{'is' if left_out == 1 else 'are'} not in this feed (a calendar needs at least "
            f"the month); see {'it' if left_out == 1 else 'them'}{where}"
        )
    return text


def calendar_from_activities(
    activities: Iterable[Mapping], *, list_url: str = ""
) -> icalendar.Calendar:
    """Return a VCALENDAR with one all-day event per activity dated to the day or month.

    ``list_url`` is the web page listing the same activities; the feed's description
    points there for those it leaves out.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", CALENDAR_NAME)
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    left_out = 0
    for activity in activities:
        if is_in_feed(activity):
            calendar.add_component(activity_event(activity))
        else:
            left_out += 1
    description = calendar_description(left_out, list_url)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    return calendar
