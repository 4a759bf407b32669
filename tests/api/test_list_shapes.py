"""A list's queryset shared per shape (core.api.shapes) never serves one reader's
visibility to another, and stays right when the data changes."""

import base64
import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.api import shapes
from core.counting import EstimatedCountPaginator
from core.statements import ServerStatement, repeated
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.usefixtures("fresh_shapes")


def ids(response) -> set:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world(db):
    programme = factories.ProgrammeFactory()
    published = factories.PairingFactory(programme=programme)
    hidden = factories.PairingFactory(programme=programme, is_published=False)
    return published, hidden


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pairings/",
        "/api/v1/pairings/?page_size=5",
        "/api/v1/pairings/?pagination=cursor&page_size=5",
        "/api/v1/activities/",
    ],
)
def test_anonymous_and_admin_readers_never_share_a_list(api, django_user_model, world, url):
    published, hidden = world
    admin = token_client(django_user_model.objects.create_superuser("root", "r@x.org", "x"))
    for _ in range(2):  # the anonymous shape is built, then reused; the admin's never kept
        anonymous = api.get(url)
        signed_in = admin.get(url)
        if "pairings" in url:
            assert ids(anonymous) == {published.pk}
            assert ids(signed_in) == {published.pk, hidden.pk}
    assert {key[5] for key in shapes._shapes} <= {"filtered", "estimate"}
    # The admin first, then anonymous: still apart.
    shapes._shapes.clear()
    if "pairings" in url:
        assert ids(admin.get(url)) == {published.pk, hidden.pk}
        assert ids(api.get(url)) == {published.pk}
        assert ids(admin.get(url)) == {published.pk, hidden.pk}


def test_a_filter_or_a_signed_in_reader_builds_its_own(api, partner_api, world):
    partner_api.get("/api/v1/pairings/")
    partner_api.get("/api/v1/pairings/?ordering=-title")
    assert shapes._shapes == {}
    api.get("/api/v1/pairings/?q=x")
    api.get("/api/v1/pairings/?ordering=-title&page_size=5")
    api.get("/api/v1/pairings/?page=1&page_size=5")
    # Each query string's filters (pagination aside) are a list of their own.
    filters = {key[6] for key in shapes._shapes if key[5] == "filtered"}
    assert filters == {(("q", ("x",)),), (("ordering", ("-title",)),), ()}


@pytest.mark.parametrize(
    "query", ["modified_since=2000-01-01T00:00:00Z", "ordering=-title", "q=&page_size=5"]
)
def test_filtered_lists_keep_readers_apart(api, django_user_model, world, query):
    published, hidden = world
    admin = token_client(django_user_model.objects.create_superuser("root", "r@x.org", "x"))
    for _ in range(2):
        assert ids(api.get(f"/api/v1/pairings/?{query}")) == {published.pk}
        assert ids(admin.get(f"/api/v1/pairings/?{query}")) == {published.pk, hidden.pk}
    assert api.get("/api/v1/pairings/?modified_since=yesterday").status_code == 400


def test_the_shared_list_reads_the_data_of_each_request(api, world):
    published, hidden = world
    assert ids(api.get("/api/v1/pairings/")) == {published.pk}
    hidden.is_published = True
    hidden.save()
    assert ids(api.get("/api/v1/pairings/")) == {published.pk, hidden.pk}
    published.programme.is_published = False
    published.programme.save()
    assert ids(api.get("/api/v1/pairings/")) == set()


def test_the_shared_list_costs_no_more_queries(api, world):
    api.get("/api/v1/pairings/")  # builds the shape
    with CaptureQueriesContext(connection) as built:
        shapes._shapes.clear()
        api.get("/api/v1/pairings/")
    with CaptureQueriesContext(connection) as reused:
        api.get("/api/v1/pairings/")
    assert len(reused) == len(built)


def test_bad_pagination_input_answers_as_before(api, world):
    assert api.get("/api/v1/pairings/?page=\x00").status_code == 400
    assert api.get("/api/v1/pairings/?pagination=sideways").status_code == 400
    assert api.get("/api/v1/pairings/?page_size=0").status_code == 400


def test_the_shared_list_counts_each_time_and_clones_plan_their_own(api, world):
    published, hidden = world
    assert api.get("/api/v1/pairings/").json()["count"] == 1
    statements = [value[1] for key, value in shapes._shapes.items() if "rows" in key]
    assert len(statements) == 1 and "EXISTS" in statements[0][0].upper()
    factories.PairingFactory(programme=published.programme)
    assert api.get("/api/v1/pairings/").json()["count"] == 2
    assert api.get("/api/v1/pairings/?page_size=1&page=2").json()["count"] == 2


# --- Pages read through prepared statements (core.statements.repeated) ---------------------


def page_statements(queries) -> list[str]:
    """Return the first word of each statement that read a page (not counts, estimates or
    the content types a new test database looks up once)."""
    return [
        query["sql"].split()[0]
        for query in queries
        if not any(part in query["sql"] for part in ("EXPLAIN", "COUNT(", "django_content_type"))
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pairings/?page_size=2",
        "/api/v1/pairings/?pagination=cursor&page_size=2",
        "/api/v1/pairings/?modified_since=2000-01-01T00:00:00Z&page_size=2",
    ],
)
def test_a_repeated_page_is_read_through_a_prepared_statement(url):
    programme = factories.ProgrammeFactory()
    factories.PairingFactory.create_batch(5, programme=programme)
    factories.PairingFactory(programme=programme, is_published=False)
    anonymous = APIClient()
    answers, kinds = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(url)
        assert response.status_code == 200
        answers.append(response.content)
        kinds.append(page_statements(queries))
    # Run as it is, then prepared (with its first execution), then executed.
    assert kinds == [["SELECT"], ["PREPARE"], ["EXECUTE"]]
    assert answers[0] == answers[1] == answers[2]
    assert len(response.json()["results"]) == 2


@pytest.mark.django_db(transaction=True)
def test_cursor_pages_share_one_statement_and_read_their_own_rows():
    programme = factories.ProgrammeFactory()
    created = factories.PairingFactory.create_batch(5, programme=programme)
    anonymous = APIClient()
    walks = []
    for _ in range(3):
        url, seen = "/api/v1/pairings/?pagination=cursor&page_size=2", []
        while url:
            answer = anonymous.get(url).json()
            seen += [row["id"] for row in answer["results"]]
            url = answer["next"]
        walks.append(seen)
    assert walks[0] == walks[1] == walks[2] == sorted(p.pk for p in created)
    # The position is the statement's parameter: one statement for every page after
    # the first (which has no position), not one per position.
    prepared = [v for v in repeated.kept.values() if isinstance(v, ServerStatement)]
    assert len(prepared) == 2


@pytest.mark.django_db(transaction=True)
def test_signed_in_readers_never_read_through_a_prepared_statement(django_user_model):
    programme = factories.ProgrammeFactory()
    factories.PairingFactory.create_batch(3, programme=programme)
    admin = token_client(django_user_model.objects.create_superuser("root", "r@x.org", "x"))
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert admin.get("/api/v1/pairings/?page_size=2").status_code == 200
        assert "EXECUTE" not in page_statements(queries)


def token(**parts) -> str:
    """Return a cursor token as DRF's cursor pagination writes it (``p``, ``r``, ``o``)."""
    return base64.b64encode(urlencode(parts).encode("ascii")).decode("ascii")


def walk(client, url: str, direction: str = "next") -> tuple[list, str | None]:
    seen, last = [], None
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        seen.append([row["id"] for row in answer.json()["results"]])
        last, url = url, answer.json()[direction]
    return seen, last


def test_kept_cursor_pages_answer_as_the_queryset_does(api, world, monkeypatch):
    published, _ = world
    factories.PairingFactory.create_batch(6, programme=published.programme)
    url = "/api/v1/pairings/?pagination=cursor&page_size=2"

    def built(get):
        """Answer as the list does when nothing is kept: DRF's own queryset steps."""
        with monkeypatch.context() as patch:
            patch.setattr(shapes, "shape_key", lambda view: None)
            return get()

    for _ in range(2):  # compiled, then reused
        forward, last = walk(api, url)
        assert forward == built(lambda: walk(api, url))[0]
        assert len(forward) == 4 and sorted(sum(forward, [])) == sum(forward, [])
        backward, _ = walk(api, last, "previous")
        assert backward[::-1] == forward
    assert any("page" in key for key in shapes._shapes)
    # Positions that are not written as the pages write them answer as the queryset does;
    # positions that are not ids are invalid cursors (404), not server errors.
    for position in ("abc", "1.5", "-1", "00", "9" * 30):
        cursor = token(p=position)
        kept_page = f"{url}&cursor={cursor}"
        answers = [api.get(kept_page), built(lambda page=kept_page: api.get(page))]
        assert answers[0].status_code == answers[1].status_code
        assert answers[0].status_code == (200 if position in ("-1", "00") else 404)
        if answers[0].status_code == 200:
            kept_answer, built_answer = (answer.json() for answer in answers)
            assert kept_answer["results"] == built_answer["results"]
            assert (kept_answer["next"] is None) == (built_answer["next"] is None)


def test_a_kept_filtered_list_is_a_days(api, db, monkeypatch):
    """A filter that compares with today is kept per day: the next day's list is its own."""
    activity = factories.ActivityFactory(status="planned")
    url = "/api/v1/activities/?needs_update=true"
    monkeypatch.setattr(timezone, "localdate", lambda *args: activity.end_date)
    for _ in range(2):  # built, then kept
        assert ids(api.get(url)) == set()
    monkeypatch.setattr(
        timezone, "localdate", lambda *args: activity.end_date + datetime.timedelta(days=1)
    )
    assert ids(api.get(url)) == {activity.pk}


def test_a_kept_filtered_list_is_compiled_once_and_reads_each_requests_data(
    api, world, monkeypatch
):
    published, hidden = world
    url = "/api/v1/pairings/?ordering=-title&page_size=1"
    assert ids(api.get(url)) == {published.pk}

    def compiled_again(self, *args, **kwargs):
        raise AssertionError("the page's statement was compiled again")

    with monkeypatch.context() as patch:
        patch.setattr(EstimatedCountPaginator, "exact_below", 0)
        patch.setattr(SQLCompiler, "as_sql", compiled_again)
        assert ids(api.get(url)) == {published.pk}
    hidden.is_published = True
    hidden.save()
    first, second = sorted([published, hidden], key=lambda pairing: pairing.title)[::-1]
    assert ids(api.get(url)) == {first.pk}
    assert ids(api.get(url + "&page=2")) == {second.pk}
