"""Home, search, map, calendar and login pages."""

import datetime
import re

import pytest

from cities.models import City
from tests import factories
from tests.views.conftest import build_registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [3, 30])
def test_home_shows_counts_upcoming_recent_and_sources(client, django_assert_max_num_queries, size):
    r = build_registry(size)
    factories.ActivityFactory(
        title="Next week's webinar",
        programme=r.programme,
        start_date=datetime.date.today() + datetime.timedelta(days=7),
    )
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    text = response.text
    for heading in ("By programme", "Pairings by status", "By thematic stream", "By country"):
        assert heading in text
    assert 'href="/pairings/?programme=urban-act"' in text
    assert 'href="/pairings/?status=active"' in text
    assert "Philippines" in text
    assert "Next week&#x27;s webinar" in text
    assert "Recently changed" in text
    assert "City Pairing Workshop report" in text
    assert "Latest quotes" in text
    assert "“A passage of the source, number" in text
    assert 'role="search"' in text
    assert "Figure(" not in text


def test_home_figures_read_as_numbers_and_estimates_say_about(client, registry, monkeypatch):
    from citypairing import views

    text = client.get("/").text
    counts = text.split('id="counts-heading"')[1].split("</section>")[0]
    cities = City.objects.count()
    assert f"<strong>{cities}</strong> cities" in counts, counts
    monkeypatch.setattr(views, "DASHBOARD_EXACT_BELOW", 0)  # every figure an estimate
    counts = client.get("/").text.split('id="counts-heading"')[1].split("</section>")[0]
    assert "<abbr" in counts and "about</abbr>" in counts
    assert "Figure(" not in counts


def test_home_leaves_out_activities_beyond_ninety_days(client, registry):
    factories.ActivityFactory(
        title="Far away", start_date=datetime.date.today() + datetime.timedelta(days=120)
    )
    text = client.get("/").text
    upcoming = text.split('id="upcoming-heading"')[1].split("</section>")[0]
    assert "Far away" not in upcoming


@pytest.mark.parametrize("size", [3, 30])
def test_search_groups_results_by_kind(client, django_assert_max_num_queries, size):
    build_registry(size)
    with django_assert_max_num_queries(15):  # 14, and the themes named by the text
        response = client.get("/search/", {"q": "Vichit"})
    assert response.status_code == 200
    groups = {group["label"]: group for group in response.context["groups"]}
    assert [city.name for city in groups["Cities"]["results"]] == ["Wichit"]
    assert "Wichit – Iloilo City" in [p.title for p in groups["Pairings"]["results"]]
    assert set(groups) == {
        "Cities",
        "Pairings",
        "Programmes",
        "Activities",
        "Networks",
        "Documents",
    }
    assert "Results for “Vichit”" in response.text


def test_search_links_each_group_to_its_filtered_list(client, db):
    build_registry(10)
    response = client.get("/search/", {"q": "Testville"})
    assert 'href="/cities/?q=Testville"' in response.text


def test_empty_search_shows_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'id="search-page-q"' in response.text


def test_map_fetches_filtered_geojson_from_its_own_addresses(client, registry):
    response = client.get("/map/", {"programme": "urban-act", "status": "active"})
    assert response.status_code == 200
    assert 'data-pairings-url="/map/pairings.geojson?programme=urban-act&amp;status=active' in (
        response.text
    )
    # Cities have no status filter: only the filters the city filterset knows go along.
    assert response.context["cities_url"] == "/map/cities.geojson?programme=urban-act"
    pairings = client.get(response.context["pairings_url"])
    assert pairings["Content-Type"] == "application/geo+json"
    assert pairings.json()["type"] == "FeatureCollection"
    assert "vendor/leaflet/leaflet.js" in response.text
    assert 'data-only-paired-cities="true"' in response.text


def test_map_without_filters_shows_every_city(client, db):
    response = client.get("/map/")
    assert 'data-only-paired-cities="false"' in response.text
    assert response.context["cities_url"] == "/map/cities.geojson"


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


def test_login_page_is_styled_like_the_site(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "site.css" in response.text
    assert 'for="id_username"' in response.text
    assert 'for="id_password"' in response.text
    assert "<title>Log in · City Pairing Registry</title>" in response.text


def test_login_with_a_wrong_password_says_so(client, officer):
    response = client.post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert "Please enter a correct username and password" in response.text
    assert 'value="officer"' in response.text


def test_login_then_logout(client, officer):
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    assert "Log out" in client.get("/").text
    assert client.post("/accounts/logout/").status_code == 302
    assert "Log in" in client.get("/").text


def test_every_page_has_a_skip_link_and_search_box(client, registry):
    response = client.get("/cities/")
    assert 'class="skip-link" href="#main"' in response.text
    assert 'for="site-search-q"' in response.text


def test_city_suggestions_offer_names_for_forms_and_slugs_for_filters(client, registry):
    response = client.get("/cities/suggest/", {"q": "vichit"})
    assert '<option value="Wichit (TH)">' in response.text
    response = client.get("/cities/suggest/", {"q": "iloilo", "value": "slug"})
    assert '<option value="iloilo-city">Iloilo City (PH)</option>' in response.text


def test_city_suggestions_read_the_box_htmx_names(client, registry):
    # htmx sends the box's own value under its name and says which name it is.
    headers = {"HX-Request": "true", "HX-Trigger-Name": "participants-0-city"}
    response = client.get("/cities/suggest/", {"participants-0-city": "vichit"}, headers=headers)
    assert '<option value="Wichit (TH)">' in response.text
    # Without htmx's headers the name of the box says nothing.
    assert "Wichit" not in client.get("/cities/suggest/", {"participants-0-city": "vichit"}).text


def test_city_boxes_ask_htmx_for_suggestions_into_their_own_list(officer_client, registry):
    response = officer_client.get("/pairings/new/")
    box = re.search(r'<input[^>]*name="participants-0-city"[^>]*>', response.text)[0]
    assert 'data-hx-get="/cities/suggest/"' in box
    assert 'list="id_participants-0-city-suggestions"' in box
    assert 'data-hx-target="#id_participants-0-city-suggestions"' in box
    assert 'data-hx-push-url="false"' in box
    assert '<datalist id="id_participants-0-city-suggestions"></datalist>' in response.text
    filters = officer_client.get("/pairings/").text
    box = re.search(r'<input[^>]*name="city"[^>]*>', filters)[0]
    assert 'data-hx-vals="{&quot;value&quot;: &quot;slug&quot;}"' in box
    assert 'data-hx-target="#id_city-suggestions"' in box
