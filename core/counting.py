"""Counts of long lists without reading them: the planner's estimate when a list is long,
an exact count when it is short.

An exact ``COUNT(*)`` visits every matching row: on a million activities that is the
slowest part of a page that shows fifty of them. PostgreSQL already knows roughly how many
rows a query returns (``pg_class.reltuples`` for a whole table, the plan's row estimate
for a filtered list), so a list can say "about 1,000,000" at no cost, and count exactly
only when the estimate is small enough for the count to be cheap.

``EstimatedCountPaginator`` plugs this into Django's paginator (list pages, DRF's
page-number pagination via ``django_paginator_class``); ``count_is_exact`` tells a
template or a response whether to say "about". ``fast_count_together`` does the same for
the many figures of one page (the dashboard) in two round trips, whatever their number.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, Window
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesIterable
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe

EXACT_BELOW = 1_000  # lists shorter than this are counted exactly, longer ones estimated
# The database function that returns a statement's estimated rows (core migration 0001),
# and the column a page's rows carry it in when they are read with it.
PLANNER_ROWS_FUNCTION = "registry_planner_rows"
ESTIMATE_COLUMN = "registry_planner_rows_"
BIGINT_END = 2**63  # no page starts beyond a bigint's rows


def table_estimate(queryset) -> int | None:
    """Return ``pg_class.reltuples`` for the queryset's table, or None if never analysed."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def planner_statement(queryset) -> tuple[str, tuple]:
    """Return the SQL and parameters whose plan estimates ``queryset``'s length."""
    # Only the ids: planning what a list annotates (its rows' nested JSON) is wasted here.
    return queryset.order_by().values("pk").query.sql_with_params()


def plan_estimate(queryset) -> int:
    """Return the planner's estimate of how many rows ``queryset`` returns (no rows read)."""
    # Compiled once for a list shared by many requests (core.api.shapes); a clone of it
    # (another filter, a slice) has no such attribute.
    statement = getattr(queryset, "estimate_statement", None)
    sql, params = statement or planner_statement(queryset)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def planner_text(queryset) -> str:
    """Return the statement whose plan estimates ``queryset``'s length, its values
    written in by the driver (for ``PLANNER_ROWS_FUNCTION``)."""
    statement = getattr(queryset, "estimate_statement", None)
    sql, params = statement or planner_statement(queryset)
    return connections[queryset.db].ops.compose_sql(sql, params)


def with_estimate(queryset):
    """Return ``queryset`` whose rows carry the planner's estimate of its length in
    ``ESTIMATE_COLUMN``, or None when it cannot (a union, rows that are not dicts or
    records); raises ``EmptyResultSet`` for a filter no row can match."""
    query = queryset.query
    if query.combinator or query.is_sliced:
        return None
    if not issubclass(queryset._iterable_class, ModelIterable | ValuesIterable):
        return None
    # A scalar sub-select: evaluated once for the statement (an InitPlan), not per row.
    estimate = RawSQL(f"(SELECT {PLANNER_ROWS_FUNCTION}(%s))", [planner_text(queryset)])
    return queryset.annotate(**{ESTIMATE_COLUMN: estimate})


def take_estimate(rows: list) -> int | None:
    """Remove the estimate from ``rows`` (dicts or records); return it, or None if none."""
    estimate = None
    for row in rows:
        estimate = (row if isinstance(row, dict) else row.__dict__).pop(ESTIMATE_COLUMN, None)
    return estimate


def estimated_count(queryset) -> int:
    """Return an estimate of ``queryset.count()`` that does not read the rows."""
    query = queryset.query
    whole_table = not query.where and not query.distinct and not query.combinator
    if whole_table and not query.low_mark and query.high_mark is None:
        estimate = table_estimate(queryset)
        if estimate is not None:
            return estimate
    return plan_estimate(queryset)


def fast_count(
    queryset,
    exact_below: int = EXACT_BELOW,
    *,
    planner_first: bool = False,
    estimate: int | None = None,
) -> tuple[int, bool]:
    """Return ``(count, exact)``: exact when the list is shorter than ``exact_below``.

    By default one query for a short list: a count that stops at ``exact_below`` rows
    (``COUNT(*)`` over ``LIMIT``); a long list then asks the planner for an estimate.
    With ``planner_first`` (the API's lists) the planner is asked first (``EXPLAIN``: no
    row read): a list it expects to be long costs that one query and is not counted; only
    a list it expects to be short is then counted. An ``estimate`` already read (with a
    page's rows) is not asked again.
    """
    if estimate is None and planner_first:
        estimate = estimated_count(queryset)
    if estimate is not None and estimate >= exact_below:
        return estimate, False
    # Only the ids: a count need not compute what a list annotates (a search's score).
    capped = queryset.order_by().values("pk")[:exact_below].count()
    if capped < exact_below:
        return capped, True
    if estimate is None:
        estimate = estimated_count(queryset)
    return max(estimate, exact_below), False


class LookaheadPage(Page):
    """A page that knows whether another follows from the rows it read, not the count."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def __iter__(self):
        # Its rows are a list: Page's own walks them through __getitem__'s checks.
        return iter(self.object_list)

    def has_next(self):
        return self.more

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


class EstimatedCountPaginator(Paginator):
    """A paginator that counts exactly only short lists, and estimates long ones.

    Pages of an estimated list read one row more than they show, so "next" follows the
    rows, never the estimate: no page is missed when the estimate is low, and none is
    empty when it is high. A page number past the estimated end is tried all the same.
    """

    exact_below = EXACT_BELOW
    # Ask the planner before counting, and let a last page make the count exact (the
    # API's lists: PlannerFirstPaginator); the pages' lists count first, as they did.
    planner_first = False

    @cached_property
    def _count(self) -> tuple[int, bool]:
        if not hasattr(self.object_list, "query"):  # a list, not a queryset
            return len(self.object_list), True
        try:
            return fast_count(self.object_list, self.exact_below, planner_first=self.planner_first)
        except EmptyResultSet:  # a filter no row can match, e.g. an empty id list
            return 0, True

    @cached_property
    def count(self) -> int:
        return self._count[0]

    @property
    def count_is_exact(self) -> bool:
        return self._count[1]

    def page(self, number):
        if self.planner_first and "_count" not in self.__dict__:
            folded = self.page_with_estimate(number)
            if folded is not None:
                return folded
        if self.count_is_exact:
            return self.exact_page(number)
        try:
            number = self.validate_number(number)
        except EmptyPage:
            number = int(number)  # validate_number refused it for being past the estimate
            if number < 1:
                raise
        bottom = (number - 1) * self.per_page
        rows = self.rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        if self.planner_first and rows and len(rows) <= self.per_page:
            # The last page: the list's length is known, whatever the planner expected.
            self.__dict__["_count"] = (bottom + len(rows), True)
            for known in ("count", "num_pages"):
                self.__dict__.pop(known, None)
        return LookaheadPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def rows(self, bottom: int, top: int) -> list:
        """Return the list's rows ``bottom:top``: from a statement compiled once when the
        list is kept so (a list page's, ``core.views.lists``), else by slicing it."""
        kept_slice = getattr(self.object_list, "kept_slice", None)
        if kept_slice is not None:
            return kept_slice(bottom, top)
        return list(self.object_list[bottom:top])

    def exact_page(self, number) -> Page:
        """Return page ``number`` of a list counted exactly, as Django's ``page`` does."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def page_with_estimate(self, number) -> Page | None:
        """Return page ``number`` read with the planner's estimate of the list's length,
        in one statement; then count only a list the planner expects to be short and
        whose page is not its last. None when the list cannot be read so."""
        if not hasattr(self.object_list, "query"):
            return None
        number = self.whole_number(number)
        bottom = (number - 1) * self.per_page
        # A list shared by many requests reads its pages from statements compiled once.
        kept_page = getattr(self.object_list, "kept_page", None)
        stop = bottom + self.per_page + 1
        try:
            if kept_page:
                rows = kept_page(bottom, stop)
            else:
                folded = with_estimate(self.object_list)
                if folded is None:
                    return None
                rows = list(folded[bottom:stop])
        except EmptyResultSet:  # a filter no row can match: nothing to read
            self.__dict__["_count"] = (0, True)
            return None
        estimate = take_estimate(rows)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        if not more:  # the last page: the list's length is known
            count = (bottom + len(rows), True)
        else:  # the estimate read with the rows (if they carry it), counted if short
            count = fast_count(
                self.object_list, self.exact_below, planner_first=True, estimate=estimate
            )
        self.__dict__["_count"] = count
        return LookaheadPage(rows[: self.per_page], number, self, more=more)

    def whole_number(self, number) -> int:
        """Return ``number`` as a page number (1 or more), or refuse it as Django does."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page >= BIGINT_END:  # an OFFSET PostgreSQL cannot take
            raise EmptyPage(self.error_messages["no_results"])
        return number


class PlannerFirstPaginator(EstimatedCountPaginator):
    """The API's lists: the planner's estimate first, a count only for a short list."""

    planner_first = True


def count_together(using: str = "default", **querysets) -> dict[str, int]:
    """Count several querysets in one round trip: ``{name: count}``.

    The dashboard shows five totals; five ``COUNT(*)`` queries become one statement of
    scalar sub-selects.
    """
    selects, params = _sub_select_sql(querysets.values())
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM ({sql}) AS rows_{n})" for n, sql in enumerate(selects)
    )
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


class CompiledSelect(NamedTuple):
    """A ``SELECT pk …`` already compiled: its SQL text and parameters."""

    sql: str
    params: tuple


_compiled_selects: dict = {}
SELECT_SENTINEL = -7_231_000_002  # an id no record has, found again among the parameters


def prepared_select(key, build, value: int | None = None, using: str = "default"):
    """Return ``build(value)``'s ``SELECT pk …``, compiled once per process for ``key``.

    Building and compiling a page's dozens of counted querysets (visibility sub-selects
    and all) cost more than PostgreSQL's estimate of them: the text is kept, and only the
    id ``value`` (when ``build`` takes one) changes between requests. ``build`` must give
    the same SQL every time for ``key``: nothing in it may depend on the reader or the day.
    """
    # A test database has its own name; keyed by it, no text outlives its database.
    cache_key = (key, connections[using].settings_dict["NAME"])
    compiled = _compiled_selects.get(cache_key)
    if compiled is None:
        queryset = build(SELECT_SENTINEL if value is not None else None)
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        params = tuple(params)
        slot = None
        if value is not None:
            if params.count(SELECT_SENTINEL) != 1:
                raise ValueError(f"{key}: the id must be the statement's one parameter slot.")
            slot = params.index(SELECT_SENTINEL)
        compiled = _compiled_selects[cache_key] = (sql, params, slot)
    sql, params, slot = compiled
    if slot is not None:
        params = (*params[:slot], value, *params[slot + 1 :])
    return CompiledSelect(sql, params)


def _sub_select_sql(querysets) -> tuple[list[str], list]:
    """Return each queryset's ``SELECT pk …`` (no ordering) and all their parameters.

    A ``CompiledSelect`` (``prepared_select``) is used as it is.
    """
    selects, params = [], []
    for queryset in querysets:
        if isinstance(queryset, CompiledSelect):
            selects.append(queryset.sql)
            params.extend(queryset.params)
            continue
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        selects.append(sql)
        params.extend(query_params)
    return selects, params


def estimate_together(using: str = "default", **querysets) -> dict[str, int]:
    """Estimate several querysets' counts with one ``EXPLAIN``: ``{name: rows}``.

    Each queryset becomes a scalar sub-select ``(SELECT 1 FROM (…) LIMIT 1)``; the plan has
    one InitPlan per sub-select, in order, and the row estimate of the node under its
    Limit is the planner's estimate of the whole list (a Gather there counts all workers).
    Nothing is read but the statistics.
    """
    if not querysets:
        return {}
    selects, params = _sub_select_sql(querysets.values())
    columns = ", ".join(
        f"(SELECT 1 FROM ({sql}) AS rows_{n} LIMIT 1)" for n, sql in enumerate(selects)
    )
    with connections[using].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT {columns}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    init_plans = [node for node in plan[0]["Plan"]["Plans"] if node["Node Type"] == "Limit"]
    estimates = [int(node["Plans"][0]["Plan Rows"]) for node in init_plans]
    return dict(zip(querysets, estimates, strict=True))


class Figure(NamedTuple):
    """A count and whether it is exact; in a template it reads "about 1,000" if not."""

    value: int
    exact: bool

    def __html__(self) -> str:
        if self.exact:
            return f"{self.value:,}"
        return format_html(
            '<abbr title="An estimate: this list is too long to count one by one">about</abbr> {}',
            f"{self.value:,}",
        )

    def __str__(self) -> str:
        # Templates render str(value) before they escape it: the same, marked safe.
        return mark_safe(self.__html__())  # noqa: S308 (format_html escaped the number)


def fast_count_together(
    exact_below: int = EXACT_BELOW, using: str = "default", **querysets
) -> dict[str, Figure]:
    """Return ``{name: Figure(count, exact)}`` for several querysets in at most two queries.

    One ``EXPLAIN`` estimates them all; those estimated under ``exact_below`` are then
    counted exactly, together, in one statement (``count_together``).
    """
    estimates = estimate_together(using, **querysets)
    short = {name: querysets[name] for name, rows in estimates.items() if rows < exact_below}
    exact = count_together(using, **short) if short else {}
    return {
        name: Figure(exact[name], True) if name in exact else Figure(rows, False)
        for name, rows in estimates.items()
    }


def first_rows_and_count(queryset, size: int) -> tuple[list, int]:
    """Return the first ``size`` rows of ``queryset`` and how many rows it has, in one query.

    The count is a window over the rows the ``ORDER BY … LIMIT`` sorts anyway
    (``COUNT(*) OVER ()``), so it costs no second pass: use it for lists bounded by an
    index (one city's pairings), not for whole tables. Not for DISTINCT querysets (the
    window counts before the repeats are dropped).
    """
    if queryset.query.distinct:
        raise ValueError("first_rows_and_count() counts rows before DISTINCT.")
    rows = list(queryset.annotate(total_rows=Window(Count("*")))[:size])
    return rows, rows[0].total_rows if rows else 0
