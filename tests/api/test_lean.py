"""The lean read path answers exactly what the serializers answer, in fewer queries.

Each resource with ``lean = True`` is read both ways — through ``core.api.lean`` and,
with ``lean`` switched off, through its serializer — on records with every optional
field filled and empty, and the two answers must be equal after parsing.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.api.views import ActivityViewSet
from core.api.lean import reader_for
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
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/{route}/?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/{route}/?pagination=cursor&page_size=50").status_code == 200
    assert len(queries) == 1
