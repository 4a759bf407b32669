"""The lean read path answers exactly what the serializers answer, in fewer queries.

Each resource with ``lean = True`` is read both ways — through ``core.api.lean`` and,
with ``lean`` switched off, through its serializer — on records with every optional
field filled and empty, and the two answers must be equal after parsing.
"""

import datetime
import json

import pytest
from django.db import connection
from django.db.models import DateField, TextField, Value
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from activities.api.views import ActivityViewSet
from core.api.lean import DATETIME_SQL, PERIOD_SQL, Plan, Template, reader_for
from core.counting import EstimatedCountPaginator
from core.dates import format_period
from programmes.api.views import PairingViewSet
from tests.api import full_and_empty

LISTS = [
    "/api/v1/pairings/",
    "/api/v1/pairings/?page_size=2",
    "/api/v1/pairings/?page_size=2&page=2",
    "/api/v1/pairings/?pagination=cursor&page_size=2",
    "/api/v1/pairings/?modified_since=2000-01-01T00:00:00Z&ordering=-title",
    "/api/v1/pairings/?country=TH",
    "/api/v1/activities/",
    f"/api/v1/activities/?month={full_and_empty.MONTH}",
    f"/api/v1/activities/?month={full_and_empty.MONTH}&page_size=2",
    "/api/v1/activities/?pagination=cursor&page_size=2&ordering=-modified",
]


@pytest.fixture
def records(db):
    return full_and_empty.build()


def both_ways(client, url, monkeypatch) -> tuple:
    lean = client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(PairingViewSet, "lean", False)
        patch.setattr(ActivityViewSet, "lean", False)
        full = client.get(url)
    assert lean.status_code == full.status_code
    return json.loads(lean.content), json.loads(full.content), lean, full


def test_pairings_and_activities_have_a_lean_plan():
    for viewset in (PairingViewSet, ActivityViewSet):
        assert reader_for(viewset()) is not None


@pytest.mark.parametrize("url", LISTS)
def test_lean_lists_equal_the_serializers(api, records, url, monkeypatch):
    lean, full, _, _ = both_ways(api, url, monkeypatch)
    assert lean == full
    assert full["results"]


def test_lean_records_equal_the_serializers_with_their_etag(api, records, monkeypatch):
    for record, route in [
        (records.full_pairing, "pairings"),
        (records.empty_pairing, "pairings"),
        (records.day_pairing, "pairings"),
        (records.full_activity, "activities"),
        (records.empty_activity, "activities"),
        (records.month_activity, "activities"),
        (records.year_activity, "activities"),
    ]:
        lean, full, lean_response, full_response = both_ways(
            api, f"/api/v1/{route}/{record.pk}/", monkeypatch
        )
        assert lean == full
        assert lean_response["ETag"] == full_response["ETag"]


def test_lean_records_hide_what_the_reader_may_not_see(api, records):
    for record, route in [
        (records.hidden_pairing, "pairings"),
        (records.pairing_of_hidden_programme, "pairings"),
        (records.hidden_activity, "activities"),
        (records.activity_of_hidden_programme, "activities"),
    ]:
        assert api.get(f"/api/v1/{route}/{record.pk}/").status_code == 404
    assert api.get("/api/v1/pairings/not-an-id/").status_code == 404


def test_lean_lists_show_staff_the_unpublished_records_as_the_serializers(
    records, admin_client, monkeypatch
):
    for url in ("/api/v1/pairings/", f"/api/v1/activities/?month={full_and_empty.MONTH}"):
        lean, full, _, _ = both_ways(admin_client, url, monkeypatch)
        assert lean == full
        titles = {row["title"] for row in lean["results"]}
        assert titles & {records.hidden_pairing.title, records.hidden_activity.title}


@pytest.mark.parametrize("route", ["pairings", "activities"])
def test_lean_queries_do_not_grow_with_the_page(api, records, route):
    counts = []
    for size in (1, 2, 50):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/{route}/?page_size={size}").status_code == 200
        counts.append(len(queries))
    # A page and the planner's estimate are one statement; a short list (estimated under
    # 1,000) is counted too unless the page holds all of it: a page of 50 is its last.
    assert counts == [2, 2, 1]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/{route}/?pagination=cursor&page_size=50").status_code == 200
    assert len(queries) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pairings/?page_size=2",
        "/api/v1/pairings/?page_size=2&page=2",
        "/api/v1/activities/?page=2&page_size=1",
        "/api/v1/pairings/?pagination=cursor&page_size=2",
    ],
)
def test_an_anonymous_lists_pages_are_compiled_once(api, records, monkeypatch, url):
    # Long lists, as a registry's are: the planner's estimate is their count.
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)
    first = api.get(url)
    assert first.status_code == 200

    def compiled_again(self, *args, **kwargs):
        raise AssertionError("the page's statement was compiled again")

    monkeypatch.setattr(SQLCompiler, "as_sql", compiled_again)
    with CaptureQueriesContext(connection) as queries:
        again = api.get(url)
    assert again.status_code == 200
    assert json.loads(again.content) == json.loads(first.content)
    assert len(queries) == 1  # the page with its estimate


def test_lean_rows_are_json_built_by_postgresql_from_a_statement_compiled_once(
    api, records, monkeypatch
):
    for viewset in (PairingViewSet, ActivityViewSet):
        assert reader_for(viewset()).in_sql
    for url in ("/api/v1/pairings/?page_size=2", "/api/v1/activities/?page_size=2"):
        assert api.get(url).status_code == 200

    def built_again(self, origin):
        raise AssertionError("the JSON statement was built again")

    monkeypatch.setattr(Plan, "json_expression", built_again)
    for url in (
        "/api/v1/pairings/?page_size=3&country=TH",
        "/api/v1/pairings/?pagination=cursor&page_size=2",
        "/api/v1/activities/?page_size=3",
    ):
        response = api.get(url, HTTP_HOST="testserver:8123")
        assert response.status_code == 200
        first = json.loads(response.content)["results"][0]
        # Each request's own origin in the URLs PostgreSQL wrote.
        assert first["url"].startswith("http://testserver:8123/api/v1/")


PERIODS = [
    (datetime.date(2026, 3, 18), None, "day"),
    (datetime.date(2026, 3, 18), datetime.date(2026, 3, 18), "day"),
    (datetime.date(2026, 1, 29), datetime.date(2026, 1, 30), "day"),
    (datetime.date(2026, 1, 29), datetime.date(2026, 2, 3), "day"),
    (datetime.date(2025, 12, 29), datetime.date(2026, 1, 3), "day"),
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), "month"),
    (datetime.date(2026, 3, 1), datetime.date(2026, 4, 30), "month"),
    (datetime.date(2025, 11, 1), datetime.date(2026, 2, 28), "month"),
    (datetime.date(2026, 3, 1), None, "month"),
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year"),
    (datetime.date(2024, 1, 1), datetime.date(2026, 12, 31), "year"),
    (datetime.date(2026, 1, 1), None, "year"),
    (datetime.date(2026, 5, 5), datetime.date(2026, 5, 5), "year"),
]


@pytest.mark.django_db
def test_periods_and_times_written_by_postgresql_are_the_pythons():
    for start, end, precision in PERIODS:
        expression = Template(
            PERIOD_SQL,
            Cast(Value(start), DateField()),
            Cast(Value(end), DateField()),
            Value(precision),
            output_field=TextField(),
        )
        with connection.cursor() as cursor:
            sql, params = expression.as_sql(SQLCompiler(None, connection, None), connection)
            cursor.execute(f"SELECT {sql}", params)
            assert cursor.fetchone()[0] == format_period(start, end, precision)
    field = serializers.DateTimeField()
    for moment in (
        datetime.datetime(2026, 3, 18, 9, 5, 7, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 18, 9, 5, 7, 120, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 18, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ):
        expression = Template(DATETIME_SQL, Value(moment), output_field=TextField())
        with connection.cursor() as cursor:
            sql, params = expression.as_sql(SQLCompiler(None, connection, None), connection)
            cursor.execute(f"SELECT {sql}", params)
            assert cursor.fetchone()[0] == field.to_representation(moment)
