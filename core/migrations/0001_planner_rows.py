"""The planner's row estimate of a statement, asked from inside another statement.

A long list's page reads its rows and the planner's estimate of its length together
(``core.counting.EstimatedCountPaginator``): one round trip, where an ``EXPLAIN`` sent
first made two. ``EXPLAIN`` plans and runs nothing; the function takes only statements
the registry writes (a list's ids, its values written in by the driver).
"""

from django.db import migrations

from core.counting import PLANNER_ROWS_FUNCTION

CREATE = f"""
CREATE OR REPLACE FUNCTION {PLANNER_ROWS_FUNCTION}(statement text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || statement INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(CREATE, f"DROP FUNCTION IF EXISTS {PLANNER_ROWS_FUNCTION}(text);"),
    ]
