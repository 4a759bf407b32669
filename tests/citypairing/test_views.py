"""The home and search pages, and what every page carries: the skip link, the search box."""

import datetime

import pytest

from cities.models import City
from tests import factories
from tests.factories import PairingFactory
from tests.pages import build_registry

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_registry_at_a_glance(client):
    PairingFactory(programme__name="Urban-Act City Pairing")
    response = client.get("/")
    assert response.status_code == 200
    assert "City Pairing Registry" in response.text
    assert "Urban-Act City Pairing" in response.text


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_home_shows_counts_upcoming_recent_and_sources(client, django_assert_max_num_queries, size):
    r = build_registry(size)
    factories.ActivityFactory(
        title="Next week's webinar",
        programme=r.programme,
        start_date=datetime.date.today() + datetime.timedelta(days=7),
    )
    # The records' version (a kept dashboard is read with it alone), then the page's ten.
    with django_assert_max_num_queries(11):
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


def test_every_page_has_a_skip_link_and_search_box(client, registry):
    response = client.get("/cities/")
    assert 'class="skip-link" href="#main"' in response.text
    assert 'for="site-search-q"' in response.text
