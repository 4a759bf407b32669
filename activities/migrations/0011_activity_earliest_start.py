"""The earliest start an activity overlapping a day can have, as a function the planner reads.

``ActivityQuerySet.overlapping`` bounds a period's start dates from below by the day less
the longest activity's span. As a sub-select, that bound is unknown to the planner: it
took PostgreSQL's default for a range with an unknown end (0.5 % of the table), expected
a month of 13,000 activities to hold 1,200, counted them "because the list is short" and
chose a plan that read them all. A STABLE function is evaluated by the planner for its
estimates (and by the executor for the rows), so the month is estimated from the dates'
statistics; ``activity_span_idx`` still answers the longest span at once.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION activity_earliest_start(day date) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    -- Never before 1 January of the year 1: a stored date out of range must not overflow.
    SELECT day - least(coalesce(max(end_date - start_date), 0), day - DATE '0001-01-01')
    FROM activities_activity
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0010_themes"),
    ]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS activity_earliest_start(date);"),
    ]
