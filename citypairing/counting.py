"""Counts of long lists without reading them: the planner's estimate when a list is long,
an exact count when it is short.

An exact ``COUNT(*)`` visits every matching row: on a million activities that is the
slowest part of a page that shows fifty of them. PostgreSQL already knows roughly how many
rows a query returns (``pg_class.reltuples`` for a whole table, the plan's row estimate
for a filtered list), so a list can say "about 1,000,000" at no cost, and count exactly
only when the estimate is small enough for the count to be cheap.

``EstimatedCountPaginator`` plugs this into Django's paginator (list pages, DRF's
page-number pagination via ``django_paginator_class``); ``count_is_exact`` tells a
template or a response whether to say "about".
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 10_000  # estimates under this are replaced by an exact count


def table_estimate(queryset) -> int | None:
    """Return ``pg_class.reltuples`` for the queryset's table, or None if never analysed."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def plan_estimate(queryset) -> int:
    """Return the planner's estimate of how many rows ``queryset`` returns (no rows read)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def estimated_count(queryset) -> int:
    """Return an estimate of ``queryset.count()`` that does not read the rows."""
    query = queryset.query
    whole_table = not query.where and not query.distinct and not query.combinator
    if whole_table and not query.low_mark and query.high_mark is None:
        estimate = table_estimate(queryset)
        if estimate is not None:
            return estimate
    return plan_estimate(queryset)


def fast_count(queryset, exact_below: int = EXACT_BELOW) -> tuple[int, bool]:
    """Return ``(count, exact)``: exact when the estimate is under ``exact_below``."""
    estimate = estimated_count(queryset)
    if estimate < exact_below:
        return queryset.count(), True
    return estimate, False


class EstimatedCountPaginator(Paginator):
    """A paginator that counts exactly only short lists, and estimates long ones."""

    exact_below = EXACT_BELOW

    @cached_property
    def _count(self) -> tuple[int, bool]:
        if not hasattr(self.object_list, "query"):  # a list, not a queryset
            return len(self.object_list), True
        return fast_count(self.object_list, self.exact_below)

    @cached_property
    def count(self) -> int:
        return self._count[0]

    @property
    def count_is_exact(self) -> bool:
        return self._count[1]


def count_together(using: str = "default", **querysets) -> dict[str, int]:
    """Count several querysets in one round trip: ``{name: count}``.

    The dashboard shows five totals; five ``COUNT(*)`` queries become one statement of
    scalar sub-selects. Names are the caller's keyword arguments (identifiers, not input).
    """
    selects, params = [], []
    for name, queryset in querysets.items():
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name}_rows) AS {name}")
        params.extend(query_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
