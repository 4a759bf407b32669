"""Statements prepared on the connection (core.statements): planned once per connection,
the same rows as the statement run as it is, again after a reconnection or a failure."""

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.statements import ServerStatement
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
