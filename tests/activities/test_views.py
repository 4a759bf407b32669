"""The activities' pages: lists, the calendar, the forms, their sections on other pages."""

import datetime
import re
from datetime import date

import pytest

from activities.models import Activity
from tests import factories
from tests.pages import (
    activity_data,
    assert_no_dangling_separator,
    build_registry,
    cell_texts,
)

pytestmark = pytest.mark.django_db


def test_quiet_city_shows_all_its_activities(client, registry):
    response = client.get(f"/cities/{registry.wichit.slug}/")
    assert "Study visit to Iloilo" in response.text
    assert response.context["activity_count"] == len(response.context["activities"])


def test_programme_timeline_files_year_only_activities_under_their_year(client, registry):
    """A year-only activity is filed under "2025", not "January 2025": the year heads it,
    before the year's months, and January keeps its own activities together."""
    make = factories.ActivityFactory
    make(title="Kick-off call", programme=registry.programme, start_date=date(2025, 1, 1))
    make(
        title="Exchange known by its year",
        programme=registry.programme,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        date_precision="year",
    )
    make(title="Follow-up call", programme=registry.programme, start_date=date(2025, 1, 20))
    html = client.get(f"/programmes/{registry.programme.slug}/").content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    headings = re.findall(r"<h3>(.*?)</h3>", timeline)
    assert headings[:2] == ["2025", "January 2025"]
    assert "March 2026" in headings and headings.count("January 2025") == 1
    year = timeline[timeline.index("<h3>2025</h3>") : timeline.index("<h3>January 2025</h3>")]
    assert "Exchange known by its year" in year and "Kick-off call" not in year
    january = timeline[timeline.index("<h3>January 2025</h3>") :].split("<h3>")[1]
    assert "Kick-off call" in january and "Follow-up call" in january


@pytest.mark.parametrize(
    "participants, expected",
    [
        (["Iloilo City"], "Iloilo City (host)"),
        (["Wichit", "Iloilo City"], "Iloilo City (host), Wichit"),
        (["Iloilo City", "Wichit", "Bacolod"], "Iloilo City (host), Bacolod, Wichit"),
    ],
)
def test_activity_list_names_host_and_cities_without_a_trailing_comma(
    client, participants, expected
):
    cities = {
        name: factories.CityFactory(name=name) for name in ("Iloilo City", "Wichit", "Bacolod")
    }
    activity = factories.ActivityFactory(title="Study visit", location_city=cities["Iloilo City"])
    for name in participants:
        activity.cities.add(cities[name])
    html = client.get("/activities/").text
    assert_no_dangling_separator(html)
    row = [text for text in cell_texts(html) if "(host)" in text]
    assert row == [expected]


def test_activities_filtered_to_a_month(client, registry):
    response = client.get("/activities/", {"month": "2026-03"})
    titles = [activity.title for activity in response.context["object_list"]]
    assert "Study visit to Iloilo" in titles
    april_only = client.get("/activities/", {"month": "2026-05"})
    assert "Study visit to Iloilo" not in [a.title for a in april_only.context["object_list"]]


def test_month_precision_activity_shows_as_a_month_span(client, registry):
    response = client.get("/activities/")
    assert "Mar–Apr 2026" in response.text


def test_create_activity_at_month_precision(officer_client, registry):
    data = activity_data(
        title="Peer exchange",
        start_date="2026-03-15",
        end_date="2026-04-02",
        date_precision="month",
        programme=registry.programme.pk,
        stream=registry.stream.pk,
        pairing=registry.pairing.pk,
        location_city="Wichit",
        cities=["Vichit", "Iloilo City (PH)", ""],
        organisers=[registry.network.pk],
        cost_estimate="1500",
        cost_currency="eur",
    )
    response = officer_client.post("/activities/new/", data)
    activity = Activity.objects.get(title="Peer exchange")
    assert response.status_code == 302
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
    )
    assert activity.period_display == "Mar–Apr 2026"
    assert activity.location_city == registry.wichit
    assert set(activity.cities.all()) == {registry.wichit, registry.iloilo}
    assert activity.cost_currency == "EUR"
    assert "Mar–Apr 2026" in officer_client.get(response["Location"]).text


def test_activity_rejects_an_end_before_its_start(officer_client, registry):
    data = activity_data(start_date="2026-03-20", end_date="2026-03-10", title="Backwards")
    response = officer_client.post("/activities/new/", data)
    assert response.status_code == 200
    assert 'id="id_end_date_error"' in response.text
    assert "The end date cannot be before the start date." in response.text
    assert 'value="Backwards"' in response.text
    assert 'value="2026-03-20"' in response.text


def test_activity_needs_a_start_date(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(start_date=""))
    assert 'id="id_start_date_error"' in response.text


def test_activity_says_when_a_date_is_not_a_date(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(start_date="March"))
    assert "Enter a valid date." in response.text


def test_activity_cost_needs_a_currency(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(cost_estimate="100"))
    assert "Give the currency of the cost estimate" in response.text


def test_activity_rejects_an_unknown_currency(officer_client, registry):
    data = activity_data(cost_estimate="100", cost_currency="XYZ")
    response = officer_client.post("/activities/new/", data)
    assert "“XYZ” is not an ISO 4217 currency code" in response.text


def test_activity_rejects_a_negative_cost(officer_client, registry):
    data = activity_data(cost_estimate="-5", cost_currency="EUR")
    response = officer_client.post("/activities/new/", data)
    assert 'id="id_cost_estimate_error"' in response.text


def test_activity_rejects_a_stream_of_another_programme(officer_client, registry):
    other = factories.ProgrammeFactory()
    data = activity_data(programme=other.pk, stream=registry.stream.pk)
    response = officer_client.post("/activities/new/", data)
    assert "Choose a stream of the activity&#x27;s own programme." in response.text


def test_activity_rejects_a_pairing_of_another_programme(officer_client, registry):
    other = factories.ProgrammeFactory()
    data = activity_data(programme=other.pk, pairing=registry.pairing.pk)
    response = officer_client.post("/activities/new/", data)
    assert "Choose a pairing of the activity&#x27;s own programme." in response.text


def test_activity_says_when_a_pairing_number_does_not_exist(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(pairing="99999"))
    assert "No pairing has that number" in response.text


def test_activity_says_which_participating_city_is_unknown(officer_client, registry):
    data = activity_data(cities=["Wichit", "Atlantis"])
    response = officer_client.post("/activities/new/", data)
    assert "No city is called “Atlantis”." in response.text
    assert 'value="Atlantis"' in response.text


def test_add_activity_from_a_pairing_starts_from_it(officer_client, registry):
    response = officer_client.get("/activities/new/", {"pairing": registry.pairing.pk})
    form = response.context["form"]
    assert form.initial["programme"] == registry.programme.pk
    assert 'value="Wichit (TH)"' in response.text


def test_edit_activity(officer_client, registry):
    activity = registry.activity
    data = activity_data(
        title="Study visit to Iloilo, revised",
        start_date="2026-03-01",
        end_date="2026-04-30",
        date_precision="month",
        programme=registry.programme.pk,
        cities=["Wichit"],
    )
    response = officer_client.post(f"/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Study visit to Iloilo, revised"
    assert list(activity.cities.all()) == [registry.wichit]


def test_edit_activity_form_shows_its_cities(officer_client, registry):
    response = officer_client.get(f"/activities/{registry.activity.pk}/edit/")
    assert 'value="Wichit (TH)"' in response.text
    assert 'value="Iloilo City (PH)"' in response.text


def test_delete_activity(officer_client, registry):
    response = officer_client.post(f"/activities/{registry.activity.pk}/delete/")
    assert response["Location"] == "/activities/"
    assert not Activity.objects.filter(pk=registry.activity.pk).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_calendar_shows_month_spans_in_bounded_queries(client, django_assert_max_num_queries, size):
    build_registry(size)
    with django_assert_max_num_queries(3):
        response = client.get("/activities/calendar/", {"year": 2026})
    assert response.status_code == 200
    row = next(
        r for r in response.context["rows"] if r["activity"].title == "Study visit to Iloilo"
    )
    assert (row["first_month"], row["last_month"]) == (3, 4)
    assert "from-3 to-4" in response.text
    assert "Mar–Apr 2026" in response.text
    assert "precision-month" in response.text


def test_calendar_is_filtered_and_offers_an_ics_feed(client, registry):
    other = factories.ActivityFactory(title="Elsewhere", start_date=datetime.date(2026, 3, 3))
    response = client.get(
        "/activities/calendar/", {"year": 2026, "programme": "urban-act", "city": "wichit"}
    )
    titles = [row["activity"].title for row in response.context["rows"]]
    assert "Study visit to Iloilo" in titles
    assert other.title not in titles
    assert response.context["ics_url"] == (
        "http://testserver/api/v1/activities/?programme=urban-act&city=wichit&format=ics"
    )
    assert response.context["webcal_url"] == (
        "webcal://testserver/api/v1/activities/?programme=urban-act&city=wichit&format=ics"
    )
    assert 'href="/activities/?programme=urban-act&amp;city=wichit&amp;month=2026-03"' in (
        response.text
    )


def test_calendar_subscribes_to_the_filters_not_the_month_on_screen(client, registry):
    """A month in the address filters the page; a subscription to it would show that
    month for ever."""
    response = client.get(
        "/activities/calendar/", {"year": 2026, "month": "2026-03", "programme": "urban-act"}
    )
    feed = "//testserver/api/v1/activities/?programme=urban-act&format=ics"
    assert response.context["webcal_url"] == f"webcal:{feed}"
    assert response.context["ics_url"] == f"http:{feed}"
    html, href = response.content.decode(), feed.replace("&", "&amp;")
    assert f'href="webcal:{href}"' in html and "Subscribe (iCalendar)" in html
    assert f'href="http:{href}" class="button-link outline secondary" download' in html
    assert "month=" not in response.context["webcal_url"]


def test_calendar_subscription_is_https_behind_https(client, registry):
    response = client.get("/activities/calendar/", {"year": 2026}, secure=True)
    assert response.context["ics_url"] == "https://testserver/api/v1/activities/?format=ics"
    assert response.context["webcal_url"] == "webcal://testserver/api/v1/activities/?format=ics"


def test_calendar_lists_activities_known_only_by_year_apart(client, registry):
    factories.ActivityFactory(
        title="Exchange known by its year",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        date_precision="year",
    )
    response = client.get("/activities/calendar/", {"year": 2026})
    year_only, dated = response.context["row_groups"]
    assert [row["activity"].title for row in year_only["rows"]] == ["Exchange known by its year"]
    assert "Exchange known by its year" not in [row["activity"].title for row in dated["rows"]]
    html = response.content.decode()
    assert html.index("Known only by the year, 2026") < html.index("Exchange known by its year")
    assert html.index("Exchange known by its year") < html.index("Dated to the day or month")


def test_calendar_clips_activities_running_over_the_year(client, registry):
    factories.ActivityFactory(
        title="Long programme",
        start_date=datetime.date(2025, 11, 1),
        end_date=datetime.date(2026, 2, 28),
        date_precision="month",
    )
    response = client.get("/activities/calendar/", {"year": 2026})
    row = next(r for r in response.context["rows"] if r["activity"].title == "Long programme")
    assert (row["first_month"], row["last_month"], row["continues_before"]) == (1, 2, True)


def test_calendar_year_navigation_keeps_filters(client, registry):
    response = client.get("/activities/calendar/", {"year": 2026, "programme": "urban-act"})
    assert 'href="?year=2025&amp;programme=urban-act"' in response.text
    assert 'href="?year=2027&amp;programme=urban-act"' in response.text
