"""Statements prepared on the connection (core.statements): planned once per connection,
the same rows as the statement run as it is, again after a reconnection or a failure."""

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.statements import RepeatedStatements, ServerStatement
from tests import factories

SQL = (
    "SELECT id, title, %s AS label, %s::date AS day, %s AS origin FROM programmes_pairing "
    "WHERE id = %s AND title NOT LIKE '%%never%%' ORDER BY id"
)


@pytest.fixture
def pairing(db):
    return factories.PairingFactory(title="Bangkok – Iloilo")


def statement() -> ServerStatement:
    # The label (with a quote) and the day stay; the id and the origin change per run.
    params = ["it's 100%", datetime.date(2025, 4, 1), "origin-sentinel", -1]
    return ServerStatement(SQL, params, {3: 0, 2: 1}, [int, str], "default")


def test_a_prepared_statement_answers_as_the_statement_itself(pairing):
    prepared = statement()
    with connection.cursor() as cursor:
        cursor.execute(SQL, ["it's 100%", datetime.date(2025, 4, 1), "http://x", pairing.pk])
        expected = cursor.fetchall()
    with CaptureQueriesContext(connection) as first:
        rows, description = prepared.execute([pairing.pk, "http://x"])
    assert rows == expected and [column.name for column in description][:2] == ["id", "title"]
    with CaptureQueriesContext(connection) as second:
        assert prepared.execute([pairing.pk, "http://x"])[0] == expected
    # One round trip each: PREPARE and EXECUTE together the first time, EXECUTE after.
    assert len(first) == 1 and first[0]["sql"].startswith("PREPARE ")
    assert len(second) == 1 and second[0]["sql"].startswith("EXECUTE ")
    assert prepared.execute([pairing.pk + 1000, "http://y"])[0] == []


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_the_statement_again():
    pairing = factories.PairingFactory(title="Bangkok – Iloilo")
    prepared = statement()
    prepared.execute([pairing.pk, "http://x"])
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        rows, _ = prepared.execute([pairing.pk, "http://x"])
    assert rows[0][:2] == (pairing.pk, "Bangkok – Iloilo")
    assert queries[0]["sql"].startswith("PREPARE ")


def test_a_failed_execution_leaves_the_statement_usable(pairing):
    prepared = statement()
    with pytest.raises(DataError), transaction.atomic():
        prepared.execute(["not a number", "http://x"])
    rows, _ = prepared.execute([pairing.pk, "http://x"])
    assert rows[0][2:] == ("it's 100%", datetime.date(2025, 4, 1), "http://x")


def test_the_literal_text_keeps_every_constant_and_percent_sign(db):
    text = statement().literal_text(connection)
    assert "$1" in text and "$2" in text and "%s" not in text
    assert "'it''s 100%'" in text and "LIKE '%never%'" in text


@pytest.mark.django_db(transaction=True)
def test_a_statement_postgresql_cannot_prepare_is_run_as_it_is_and_not_tried_again():
    statements = RepeatedStatements()
    # An integer parameter becomes a bigint: make_interval takes an integer, so PostgreSQL
    # refuses the statement with it as a parameter.
    sql, params = "SELECT make_interval(days => %s)", [3]
    assert statements.execute("default", sql, params) is None  # seen once: run as it is
    assert statements.execute("default", sql, params) is None  # refused
    assert list(statements.kept.values()) == [None]
    with CaptureQueriesContext(connection) as queries:
        assert statements.execute("default", sql, params) is None
    assert not queries  # not tried again
    with connection.cursor() as cursor:  # and the connection is as good as before
        cursor.execute("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_repeated_statements_keep_their_values_and_stay_out_of_transactions():
    statements = RepeatedStatements()
    sql = "SELECT %s::int + 1, %s, %s::date"
    for value in (1, 2, 3):
        result = statements.execute("default", sql, [value, "it's", datetime.date(2025, 4, 1)])
        if value > 1:
            assert result[0] == [(value + 1, "it's", datetime.date(2025, 4, 1))]
    with transaction.atomic():
        assert statements.execute("default", sql, [4, "it's", datetime.date(2025, 4, 1)]) is None


def test_an_integer_no_bigint_holds_is_refused_before_it_reaches_the_database(pairing):
    prepared = statement()
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValueError):
        prepared.execute([10**30, "http://x"])
    assert not queries
    assert prepared.execute([pairing.pk, "http://x"])[0]  # the transaction is untouched


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_statement_is_deallocated_on_its_connection(monkeypatch):
    """A long-lived connection keeps no more prepared statements than the process keeps:
    each distinct repeated value (a delta pull's date) would otherwise stay prepared."""
    monkeypatch.setattr("core.statements.MAX_KEPT", 2)
    statements = RepeatedStatements()

    def prepared_here() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared_here()
    for day in range(1, 8):
        value = datetime.date(2025, 4, day)
        assert statements.execute("default", "SELECT %s::date, %s", [value, 1]) is None
        repeated = statements.execute("default", "SELECT %s::date, %s", [value, 1])
        assert repeated[0] == [(value, 1)]  # seen twice: prepared
    assert len(statements.kept) == 2
    assert prepared_here() - before <= 2 + 1  # the kept ones, and one forgotten since


@pytest.mark.django_db(transaction=True)
def test_a_statement_without_integer_parameters_is_prepared_too():
    # PostgreSQL refuses "PREPARE name() AS": a list whose rule names no id (a page's)
    # was run as it is every time, never prepared.
    factories.PairingFactory(title="Bangkok – Iloilo")
    statements = RepeatedStatements()
    sql, params = "SELECT title FROM programmes_pairing WHERE title <> %s ORDER BY id", ["x"]
    expected = [("Bangkok – Iloilo",)]
    assert statements.execute("default", sql, params) is None  # seen once: run as it is
    with CaptureQueriesContext(connection) as first:
        assert statements.execute("default", sql, params)[0] == expected
    with CaptureQueriesContext(connection) as second:
        assert statements.execute("default", sql, params)[0] == expected
    assert [query["sql"].split()[0] for query in first] == ["PREPARE"]
    assert [query["sql"] for query in second] == [
        f"EXECUTE {next(iter(statements.kept.values())).name}"
    ]
