"""The activities' iCalendar feed (``/api/v1/activities/?format=ics``) as two independent
parsers read it: icalendar, and ical (strict RFC 5545, pydantic-validated)."""

import datetime

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from tests import factories
from tests.api.data import build_registry

FEED = "/api/v1/activities/?format=ics"


@pytest.fixture
def registry(db):
    """The API tests' registry (a day-precise study visit, a month-precise workshop) and
    an activity known only to the year."""
    r = build_registry()
    r.year_only = factories.ActivityFactory(
        title="Exchange on flood data",
        programme=r.programme,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        date_precision="year",
    )
    return r


def feed(client, query: str = "") -> bytes:
    response = client.get(FEED + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def events_by_title(content: bytes) -> dict:
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_a_strict_second_parser_reads_the_feed(client, registry):
    calendar = IcsCalendarStream.calendar_from_ics(feed(client).decode())
    events = {event.summary: event for event in calendar.events}
    assert set(events) == {"Study visit to Iloilo", "Workshop in Prato"}
    visit = events["Study visit to Iloilo"]
    assert (visit.dtstart, visit.dtend) == (datetime.date(2026, 3, 10), datetime.date(2026, 3, 13))
    assert visit.categories == ["Study visit"]
    assert "Programme: Urban-Act — Flood management" in visit.description


def test_every_event_says_what_where_who_programme_and_links_back(client, registry):
    visit = events_by_title(feed(client))["Study visit to Iloilo"]
    assert str(visit["description"]).splitlines() == [
        "Study visit · Confirmed",
        "When: 10–12 Mar 2026",
        "Where: Iloilo",
        "Cities: Bangkok, Iloilo",
        "Organised by: CityNet",
        "Programme: Urban-Act — Flood management",
        "Pairing: Bangkok – Iloilo",
        "",
        f"More: http://testserver/activities/{registry.activity.pk}/",
    ]


def test_categories_are_the_kinds_names_not_their_codes(client, registry):
    events = events_by_title(feed(client))
    assert events["Study visit to Iloilo"].categories == ["Study visit"]  # not study_visit
    assert events["Workshop in Prato"].categories == ["Workshop"]


def test_an_activity_known_only_to_the_year_is_left_out_and_the_feed_says_so(client, registry):
    content = feed(client)
    calendar = icalendar.Calendar.from_ical(content)
    assert "Exchange on flood data" not in events_by_title(content)
    for name in ("X-WR-CALDESC", "DESCRIPTION"):
        text = str(calendar[name])
        assert "1 activity dated only to the year is not in this feed" in text
        assert text.endswith("see it: http://testserver/activities/")
    # With filters, the link lists the same activities.
    calendar = icalendar.Calendar.from_ical(feed(client, "&programme=urban-act"))
    assert str(calendar["X-WR-CALDESC"]).endswith(
        "see it: http://testserver/activities/?programme=urban-act"
    )


def test_a_feed_without_year_only_activities_leaves_nothing_out(client, registry):
    calendar = icalendar.Calendar.from_ical(feed(client, "&programme=iuc-asia"))
    assert "not in this feed" not in str(calendar["X-WR-CALDESC"])
    assert str(calendar["REFRESH-INTERVAL"].to_ical(), "ascii") == "PT12H"


def test_a_month_precise_activity_spans_its_month_leaving_the_reader_free(client, registry):
    workshop = events_by_title(feed(client))["Workshop in Prato"]
    assert str(workshop["dtstart"].to_ical(), "ascii") == "20260501"
    assert str(workshop["dtend"].to_ical(), "ascii") == "20260601"
    assert str(workshop["transp"]) == "TRANSPARENT"
    assert "When: May 2026 (the source gives only the month: the day is not known yet)" in str(
        workshop["description"]
    )
    visit = events_by_title(feed(client))["Study visit to Iloilo"]
    assert "transp" not in visit  # day-precise: as the reader's calendar treats all-day events
