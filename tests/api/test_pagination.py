"""Pages with a stable order, a capped page size, cursor mode, and query counts that do not
grow with the page size."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cities.models import City
from core.counting import (
    ESTIMATE_COLUMN,
    PLANNER_ROWS_FUNCTION,
    PlannerFirstPaginator,
    plan_estimate,
    take_estimate,
    with_estimate,
)
from tests import factories
from tests.api.data import add_more, build_registry
from tests.api.test_resources import RESOURCES


@pytest.fixture
def cities(db):
    return [factories.CityFactory() for _ in range(7)]


def test_default_page_has_count_and_links(api, cities):
    body = api.get("/api/v1/cities/?page_size=3").json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert "page=2" in body["next"] and body["previous"] is None


def test_default_page_size_is_50(api, db):
    for n in range(55):
        City.objects.create(name=f"C{n}", slug=f"c{n}", country="TH")
    assert len(api.get("/api/v1/cities/").json()["results"]) == 50


@pytest.mark.parametrize("size", ["501", "100000", "0", "-1", "ten", "1e3"])
def test_page_size_out_of_range_is_400(api, db, size):
    response = api.get(f"/api/v1/cities/?page_size={size}")
    assert response.status_code == 400
    assert "1 to 500" in response.json()["errors"]["page_size"][0]


@pytest.mark.parametrize("size", ["501", "100000", "0", "ten"])
def test_history_and_change_feed_cap_the_page_size_like_every_list(partner_api, cities, size):
    for url in (f"/api/v1/cities/{cities[0].pk}/history/", "/api/v1/changes/"):
        response = partner_api.get(f"{url}?page_size={size}")
        assert response.status_code == 400, url
        assert "1 to 500" in response.json()["errors"]["page_size"][0]
        assert len(partner_api.get(f"{url}?page_size=2").json()["results"]) == (
            1 if "history" in url else 2
        )


@pytest.mark.parametrize("since", ["2026-13-01T00:00Z", "0000-01-01T00:00Z", "yesterday"])
def test_change_feed_refuses_a_time_postgresql_cannot_compare(partner_api, cities, since):
    response = partner_api.get("/api/v1/changes/", {"since": since})
    assert response.status_code == 400
    assert "e.g. 2026-01-30T00:00Z" in response.json()["errors"]["since"][0]
    unencoded_plus = partner_api.get("/api/v1/changes/?since=2026-01-01T00:00+01:00")
    assert unencoded_plus.status_code == 200


def test_page_size_500_is_allowed(api, db):
    assert api.get("/api/v1/cities/?page_size=500").status_code == 200


def test_short_list_count_is_exact(api, cities):
    body = api.get("/api/v1/cities/?page_size=3").json()
    assert body["count_exact"] is True


@pytest.fixture
def estimating(monkeypatch):
    """Make every list "long": counts become the planner's estimates."""
    from core.counting import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)


def test_long_list_pages_follow_the_rows_not_the_estimate(api, cities, estimating):
    """With an estimated count, ``next`` comes from the rows: every city once, no empty page."""
    with connection.cursor() as cursor:  # an estimate far below the truth
        cursor.execute("UPDATE pg_class SET reltuples = 1 WHERE relname = 'cities_city'")
    url, seen, pages = "/api/v1/cities/?page_size=3", [], 0
    while url:
        body = api.get(url).json()
        # The last page knows how long the list is, whatever the planner expected.
        assert body["count_exact"] is (body["next"] is None)
        assert body["results"], "no empty page at the end"
        seen += [city["id"] for city in body["results"]]
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(city.pk for city in cities)
    assert pages == 3
    assert body["count"] == len(cities)


def counting(queries) -> list[str]:
    """Return the statements of ``queries`` that estimate or count a list."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("EXPLAIN") or "COUNT(" in query["sql"].upper()
    ]


def test_a_long_lists_page_and_its_estimate_are_one_statement(api, cities, estimating):
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/v1/cities/?page_size=2").json()
    # The page's rows and the planner's estimate together; then each row's related lists.
    assert PLANNER_ROWS_FUNCTION in queries[0]["sql"]
    assert counting(queries) == []
    assert body["count_exact"] is False and body["next"]
    assert len(body["results"]) == 2
    assert all(ESTIMATE_COLUMN not in city for city in body["results"])


def test_a_short_list_is_counted_only_when_its_page_is_not_its_last(api, cities):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/api/v1/cities/?page_size={len(cities)}").json()
    assert counting(queries) == []  # the page is the whole list: its rows are the count
    assert (body["count"], body["count_exact"], body["next"]) == (len(cities), True, None)
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/v1/cities/?page=2&page_size=3").json()
    assert len(counting(queries)) == 1  # estimated under 1,000: counted (up to 1,000)
    assert (body["count"], body["count_exact"]) == (len(cities), True)
    assert body["next"] and body["previous"]


@pytest.mark.parametrize("shape", ["records", "values"])
def test_the_estimate_read_with_the_rows_is_the_planners(cities, shape):
    queryset = City.objects.filter(name__gte="A").order_by("name", "id")
    if shape == "values":
        queryset = queryset.values("id", "name")
    rows = list(with_estimate(queryset)[:3])
    assert take_estimate(rows) == plan_estimate(queryset)
    assert [row["id"] if shape == "values" else row.pk for row in rows] == [
        city.pk for city in sorted(cities, key=lambda city: (city.name, city.pk))[:3]
    ]
    assert not any(ESTIMATE_COLUMN in (row if shape == "values" else vars(row)) for row in rows)


def test_a_list_no_row_can_match_is_empty_without_a_statement(cities):
    paginator = PlannerFirstPaginator(City.objects.none().values("id"), 2)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
    assert (list(page), paginator.count, paginator.count_is_exact) == ([], 0, True)
    assert len(queries) == 0


def test_page_past_the_end_of_an_estimated_list_is_404(api, cities, estimating):
    assert api.get("/api/v1/cities/?page=3&page_size=3").status_code == 200
    response = api.get("/api/v1/cities/?page=4&page_size=3")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("page", ["99", "0", "abc", str(2**63), str(2**63 // 50)])
def test_page_that_does_not_exist_is_404(api, cities, page):
    response = api.get(f"/api/v1/cities/?page={page}")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("page", [str(2**63), str(2**63 // 50), str(2**63 // 50 - 1)])
def test_a_page_beyond_any_offset_is_404_and_breaks_nothing(api, cities, estimating, page):
    response = api.get(f"/api/v1/cities/?page={page}&page_size=50")
    assert response.status_code == 404
    assert api.get("/api/v1/cities/").status_code == 200  # the transaction is still usable


def walk(api, url) -> list[int]:
    seen = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen += [record["id"] for record in body["results"]]
        url = body["next"]
    return seen


def test_cursor_mode_walks_the_table_by_id(api, cities):
    url = "/api/v1/cities/?pagination=cursor&page_size=3"
    assert walk(api, url) == sorted(c.pk for c in cities)
    first = api.get(url).json()
    assert "cursor" in parse_qs(urlparse(first["next"]).query)


def test_cursor_mode_in_reverse_and_by_modified(api, cities):
    assert walk(api, "/api/v1/cities/?pagination=cursor&page_size=2&ordering=-id") == sorted(
        (c.pk for c in cities), reverse=True
    )
    now = timezone.now()
    # Several records share a timestamp: ties are broken by id.
    for index, city in enumerate(cities):
        City.objects.filter(pk=city.pk).update(
            modified=now - datetime.timedelta(minutes=index // 2)
        )
    walked = walk(api, "/api/v1/cities/?pagination=cursor&page_size=2&ordering=modified")
    assert sorted(walked) == sorted(c.pk for c in cities)
    assert len(walked) == len(set(walked)) == 7


def test_cursor_mode_with_filters_for_a_delta_pull(api, cities):
    cutoff = timezone.now() + datetime.timedelta(minutes=1)
    changed = cities[2:5]
    City.objects.filter(pk__in=[c.pk for c in changed]).update(modified=cutoff)
    url = (
        f"/api/v1/cities/?pagination=cursor&page_size=2&ordering=modified"
        f"&modified_since={cutoff.isoformat().replace('+00:00', 'Z')}"
    )
    assert sorted(walk(api, url)) == [c.pk for c in changed]


def test_cursor_mode_refuses_orderings_it_cannot_key_on(api, cities):
    response = api.get("/api/v1/cities/?pagination=cursor&ordering=name")
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]


def test_bad_cursor_and_bad_mode(api, cities):
    assert api.get("/api/v1/cities/?cursor=garbage").status_code == 404
    response = api.get("/api/v1/cities/?pagination=offset")
    assert response.status_code == 400
    assert "pagination" in response.json()["errors"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_queries_do_not_grow_with_page_size(api, db, resource, django_assert_num_queries):
    build_registry()
    add_more(2)
    url = f"/api/v1/{resource}/?page_size=500"
    api.get(url)  # per-process lookups (content types) happen once, on the first read
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    expected = len(small)  # read now: the next request resets Django's query log
    add_more(12)
    assert api.get(url).json()["count"] > 12
    with django_assert_num_queries(expected):
        api.get(url)


@pytest.mark.parametrize(
    "resource, fmt",
    [
        ("cities", "geojson"),
        ("cities", "csv"),
        ("pairings", "geojson"),
        ("pairings", "csv"),
        ("activities", "ics"),
        ("activities", "csv"),
    ],
)
def test_export_queries_do_not_grow_with_rows(api, db, resource, fmt, django_assert_num_queries):
    build_registry()
    url = f"/api/v1/{resource}/?format={fmt}"
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    add_more(10)
    with django_assert_num_queries(len(small)):
        assert api.get(url).status_code == 200


LINK_ADDRESSES = [
    "http://testserver/api/v1/pairings/?pagination=cursor",
    "http://testserver/api/v1/pairings/?pagination=cursor&cursor=cD0xMA%3D%3D&page_size=2",
    "http://testserver/api/v1/pairings/?country=TH&country=PH&a=&zeta=1&pagination=cursor",
    "http://testserver/api/v1/cities/?q=%E9%AB%98%E9%9B%84+city&cursor=x&cursor=y&b=1%262",
    "https://example.org:8443/api/v1/activities/?ordering=-modified&pagination=cursor#top",
    "http://testserver/api/v1/pairings/",
    "http://testserver/api/v1/activities/?month=2025-05&page=3&page=4&ordering=title",
    "http://testserver/api/v1/pairings/?page=2&q=Khon+Kaen&%C3%A9t%C3%A9=%E2%80%93",
]


@pytest.mark.parametrize("address", LINK_ADDRESSES)
def test_cursor_links_are_drfs(address):
    from rest_framework.pagination import Cursor, CursorPagination

    from core.api.pagination import CursorMode

    ours, drfs = CursorMode(), CursorPagination()
    ours.base_url = drfs.base_url = address
    for cursor in (
        Cursor(offset=0, reverse=False, position="42"),
        Cursor(offset=3, reverse=True, position="2026-03-01 10:00:00+00:00"),
        Cursor(offset=0, reverse=False, position=None),
    ):
        assert ours.encode_cursor(cursor) == drfs.encode_cursor(cursor)


@pytest.mark.parametrize("address", LINK_ADDRESSES)
def test_page_links_are_drfs(address):
    from types import SimpleNamespace

    from rest_framework.utils.urls import remove_query_param, replace_query_param

    from core.api.pagination import PageNumberMode

    mode = PageNumberMode()
    mode.request = SimpleNamespace(build_absolute_uri=lambda: address)
    for number in (2, 3, 10_000):
        assert mode.page_address(number) == replace_query_param(address, "page", number)
    assert mode.page_address(None) == remove_query_param(address, "page")
