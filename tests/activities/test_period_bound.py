"""A period's activities are read from a bounded range of start dates, never from the first."""

import datetime

from django.db import connection

from activities.models import Activity
from core.counting import plan_estimate
from tests import factories


def test_the_longest_activity_bounds_the_start_dates_read(db):
    long_one = factories.ActivityFactory(
        start_date=datetime.date(2025, 4, 1),
        end_date=datetime.date(2026, 3, 31),
        date_precision="month",
    )
    factories.ActivityFactory(start_date=datetime.date(2026, 3, 9))
    before = factories.ActivityFactory(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 1, 2)
    )
    found = set(Activity.objects.in_month(2026, 3).values_list("pk", flat=True))
    assert long_one.pk in found
    assert before.pk not in found
    assert len(found) == 2
    sql, params = Activity.objects.in_month(2026, 3).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The B-tree on the start dates is entered at the month's start minus the longest
    # span (365 days here), not at the first date.
    assert "start_date >= activity_earliest_start(" in plan


def test_the_longest_span_is_read_from_its_index(db):
    factories.ActivityFactory(
        start_date=datetime.date(2025, 4, 1), end_date=datetime.date(2026, 3, 31)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT max(end_date - start_date) FROM activities_activity")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT activity_earliest_start(DATE '2026-03-01')")
        assert cursor.fetchone()[0] == datetime.date(2025, 3, 2)  # 364 days before
    assert "activity_span_idx" in plan


def test_the_planner_estimates_a_long_month_from_the_dates(db):
    """A month of many activities is estimated long, so the API does not count it row by
    row: with the bound a sub-select, the planner took 0.5 % of the table for the range."""
    factories.ActivityFactory.create_batch(
        60, start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 1, 1)
    )
    factories.ActivityFactory.create_batch(
        240, start_date=datetime.date(2026, 3, 9), end_date=datetime.date(2026, 3, 10)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE activities_activity")
    estimate = plan_estimate(Activity.objects.in_month(2026, 3))
    assert 120 <= estimate <= 480
