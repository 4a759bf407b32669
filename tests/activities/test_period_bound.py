"""A period's activities are read from a bounded range of start dates, never from the first."""

import datetime

from django.db import connection

from activities.models import Activity
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
    # span (365 days here), read through activity_span_idx, not at the first date.
    assert "start_date >= (InitPlan" in plan
    assert "activity_span_idx" in plan
