"""Activities as an iCalendar feed (RFC 5545) for partners' calendars.

Each activity is an all-day event over its whole period: a month-precise activity
("March 2026") is stored from its first to its last day, so it spans the month.
Built from the API's representation of activities, so the feed says what the API says.
"""

import datetime
from collections.abc import Iterable, Mapping

import icalendar

from activities.choices import ActivityStatus

PRODID = "-//City Pairing Registry//Activities//EN"

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


def activity_event(activity: Mapping) -> icalendar.Event:
    """Return the all-day VEVENT for one activity (as the API represents it)."""
    start = datetime.date.fromisoformat(activity["start_date"])
    end = datetime.date.fromisoformat(activity.get("end_date") or activity["start_date"])
    event = icalendar.Event()
    event.add("uid", f"activity-{activity['id']}@citypairing")
    event.add("summary", activity["title"])
    event.add("dtstart", start)
    event.add("dtend", end + datetime.timedelta(days=1))  # DTEND of a date is exclusive
    modified = _datetime(activity.get("modified")) or datetime.datetime.now(datetime.UTC)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    if created := _datetime(activity.get("created")):
        event.add("created", created)
    if status := EVENT_STATUS.get(activity.get("status")):
        event.add("status", status)
    if activity.get("kind"):
        event.add("categories", [activity["kind"]])
    places = [activity.get("location") or "", (activity.get("location_city") or {}).get("name")]
    if location := ", ".join(place for place in places if place):
        event.add("location", location)
    if activity.get("description"):
        event.add("description", activity["description"])
    if url := activity.get("web_url") or activity.get("url"):
        event.add("url", url)
    return event


def calendar_from_activities(activities: Iterable[Mapping]) -> icalendar.Calendar:
    """Return a VCALENDAR with one all-day event per activity."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "City Pairing Registry: activities")
    for activity in activities:
        calendar.add_component(activity_event(activity))
    return calendar
