"""List pages: filters, search, sorting, pages, counts, export links, htmx, query counts."""

import re

import pytest

from programmes.choices import PairingStatus
from tests import factories
from tests.views.conftest import build_registry

pytestmark = pytest.mark.django_db

# (address, resource in the API, text the page must show, most queries allowed)
LISTS = [
    ("/cities/", "cities", "Wichit", 6),
    ("/networks/", "networks", "CityNet", 3),
    ("/programmes/", "programmes", "Urban-Act", 4),
    ("/streams/", "thematic-streams", "Flood management", 5),  # + themes, + lists version
    ("/pairings/", "pairings", "Wichit – Iloilo City", 7),
    ("/activities/", "activities", "Study visit to Iloilo", 7),  # + the option lists version
    ("/sources/", "sources", "City Pairing Workshop report", 3),  # + the theme filter's choices
]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("url", "resource", "text", "max_queries"), LISTS)
def test_list_page_shows_records_in_bounded_queries(
    client, django_assert_max_num_queries, size, url, resource, text, max_queries
):
    build_registry(size)
    with django_assert_max_num_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    if size == 3:  # with 30 rows the record may be on another page
        assert text in response.text
    assert re.search(r"<title>[^<]+ · City Pairing Registry</title>", response.text)
    assert response.text.count("<h1") == 1
    assert f'href="/api/v1/{resource}/?format=csv"' in response.text


@pytest.mark.parametrize(("url", "resource", "text", "max_queries"), LISTS)
def test_list_page_has_a_result_count(client, registry, url, resource, text, max_queries):
    response = client.get(url)
    count = response.context["result_count"]
    assert count >= 1
    assert re.search(rf'id="results-heading"[^>]*>{count} ', response.text)


def test_city_search_tolerates_misspellings_through_alternative_names(client, registry):
    response = client.get("/cities/", {"q": "Vichit"})
    assert [city.name for city in response.context["object_list"]] == ["Wichit"]


def test_city_search_finds_a_longer_name(client, registry):
    response = client.get("/cities/", {"q": "Iloilo"})
    assert "Iloilo City" in [city.name for city in response.context["object_list"]]


def test_city_search_ignores_accents(client, registry):
    factories.CityFactory(name="Đà Nẵng", slug="da-nang", country="VN")
    response = client.get("/cities/", {"q": "da nang"})
    assert [city.name for city in response.context["object_list"]] == ["Đà Nẵng"]


def test_filters_stay_in_the_url_and_in_the_export_link(client, registry):
    response = client.get("/cities/", {"country": "PH"})
    countries = {city.country.code for city in response.context["object_list"]}
    assert countries == {"PH"}
    assert 'href="/api/v1/cities/?country=PH&amp;format=csv"' in response.text
    assert 'value="PH" checked' in response.text or 'value="PH" selected' in response.text


def test_sorting_by_a_column_reverses_on_second_click(client, registry):
    ascending = client.get("/cities/", {"ordering": "name"})
    names = [city.name for city in ascending.context["object_list"]]
    assert names == sorted(names)
    assert 'aria-sort="ascending"' in ascending.text
    assert 'href="?ordering=-name"' in ascending.text
    descending = client.get("/cities/", {"ordering": "-name"})
    assert [city.name for city in descending.context["object_list"]] == sorted(names)[::-1]
    assert 'aria-sort="descending"' in descending.text


def test_list_is_paginated_with_links_that_keep_the_filters(client, db):
    build_registry(30)
    response = client.get("/cities/", {"kind": "city"})
    assert response.context["is_paginated"]
    assert "showing 1–25" in response.text
    assert 'href="?kind=city&amp;page=2"' in response.text
    second = client.get("/cities/", {"kind": "city", "page": 2})
    assert second.status_code == 200
    assert len(second.context["object_list"]) == second.context["result_count"] - 25


def test_estimated_list_pages_follow_the_rows(client, db, monkeypatch):
    """A long list's count is an estimate ("about"): its pages still end where the rows do."""
    from core.counting import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)
    build_registry(30)
    seen, page = [], 1
    while True:
        response = client.get("/cities/", {"kind": "city", "page": page})
        assert response.status_code == 200
        assert "about" in response.text and "Last »" not in response.text
        seen += [city.pk for city in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            break
        assert f'href="?kind=city&amp;page={page + 1}"' in response.text
        page += 1
    assert page == 2
    assert len(seen) == len(set(seen)) == response.context["paginator"].object_list.count()


def test_htmx_request_gets_only_the_results(client, registry):
    response = client.get(
        "/pairings/", {"q": "wichit"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("{%") is False
    assert 'id="results"' in response.text
    assert "Wichit – Iloilo City" in response.text
    assert "HX-Request" in response["Vary"]


def test_invalid_filter_says_what_to_type(client, registry):
    response = client.get("/activities/", {"month": "March"})
    assert response.status_code == 200
    assert "Give a month as YYYY-MM, e.g. 2026-03." in response.text
    assert list(response.context["object_list"]) == []


def test_activities_filtered_to_a_month(client, registry):
    response = client.get("/activities/", {"month": "2026-03"})
    titles = [activity.title for activity in response.context["object_list"]]
    assert "Study visit to Iloilo" in titles
    april_only = client.get("/activities/", {"month": "2026-05"})
    assert "Study visit to Iloilo" not in [a.title for a in april_only.context["object_list"]]


def test_month_precision_activity_shows_as_a_month_span(client, registry):
    response = client.get("/activities/")
    assert "Mar–Apr 2026" in response.text


def test_pairings_filtered_by_city_slug_and_status(client, registry):
    response = client.get("/pairings/", {"city": "iloilo-city", "status": PairingStatus.ACTIVE})
    assert [p.title for p in response.context["object_list"]] == ["Wichit – Iloilo City"]


def test_anonymous_readers_do_not_see_unpublished_pairings(client, registry):
    factories.PairingFactory(programme=registry.programme, title="Secret", is_published=False)
    assert "Secret" not in client.get("/pairings/").text


def test_officers_see_unpublished_pairings(officer_client, registry):
    factories.PairingFactory(programme=registry.programme, title="Secret", is_published=False)
    assert "Secret" in officer_client.get("/pairings/").text


def test_new_pairing_button_only_for_those_who_may_add(client, officer_client, registry):
    assert 'href="/pairings/new/"' in officer_client.get("/pairings/").text
    client.logout()
    assert 'href="/pairings/new/"' not in client.get("/pairings/").text


def test_filter_fields_have_labels(client, registry):
    response = client.get("/pairings/")
    for field in response.context["filter_shown"]:
        assert f'for="{field.id_for_label}"' in response.text or field.use_fieldset
