"""A list's filtered queryset, built once per "shape" and reused by every request of it.

For anonymous readers, the filtered queryset of one query string (its pagination
parameters aside) is the same every time: the visibility rule's sub-selects for
anonymous readers and the filters' conditions. Building it (the rule's ``Exists``
clauses, django-filter copying every filter and validating its form) and compiling its
pages cost most of the Python time of such a list. It is built once per viewset class,
URL keywords, filters' values, day and database, and each request gets a clone; its
pages' statements are compiled once too. The least recently used are forgotten first.

Only anonymous readers share one: everyone else's visibility depends on who they are, and
their list is built for them, every time. A queryset whose building ran a query (a rule
that read a row) is never kept, so nothing read from the data is frozen in it.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, router
from django.db.models.query import ValuesIterable
from django.utils import timezone

from core.counting import planner_statement, with_estimate
from core.statements import repeated, value_rows

# The parameters that choose a page, not the records (core.api.pagination).
PAGINATION_PARAMETERS = frozenset({"page", "page_size", "pagination", "cursor"})
MAX_SHAPES = 512  # viewsets × URL keywords (a nested list per record): bounded

# The least recently used shapes are forgotten first: a partner's delta pulls, each with
# its own timestamp, do not push out the lists everyone reads.
_shapes: OrderedDict = OrderedDict()


def recall(key: tuple):
    """Return what is kept under ``key`` (None if nothing), now the most recently used."""
    value = _shapes.get(key)
    if value is not None:
        with contextlib.suppress(KeyError):  # another thread's keep() forgot it
            _shapes.move_to_end(key)
    return value


def keep(key: tuple, value):
    """Keep ``value`` under ``key``, forgetting the least recently used beyond MAX_SHAPES."""
    _shapes[key] = value
    while len(_shapes) > MAX_SHAPES:
        with contextlib.suppress(KeyError):
            _shapes.popitem(last=False)
    return value


def anonymous_key(view) -> tuple | None:
    """Return the key of ``view``'s visible queryset when anonymous readers share it."""
    if view.request.user.is_authenticated:
        return None
    get_queryset = type(view).get_queryset
    if getattr(get_queryset, "shared_by_anonymous_readers", False) is not True:
        return None  # a viewset's own get_queryset may read the request
    model = view.queryset.model
    using = router.db_for_read(model)
    # A content type's id may be among a rule's parameters: a test database's flush
    # renumbers them (and clears the cache this reads).
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    return (
        type(view),
        tuple(sorted(view.kwargs.items())),
        using,
        connections[using].settings_dict["NAME"],
        content_type.pk,
    )


def shape_key(view) -> tuple | None:
    """Return the key of ``view``'s filtered list when it may be shared, or None.

    The key names the filters' values and the day: a filter may compare with today (an
    activity that needs an update), so a kept list is a day's. A filter whose building
    reads the database (a record named by its slug) is built per request (``shared``).
    """
    params = view.request.query_params
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return None  # the filter backend's 400
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None and PAGINATION_PARAMETERS & filterset_class.base_filters.keys():
        return None  # a filter reads one of them: the list depends on its value
    key = anonymous_key(view)
    if key is None:
        return None
    filters = tuple(
        sorted(
            (name, tuple(values))
            for name, values in params.lists()
            if name not in PAGINATION_PARAMETERS
        )
    )
    return (*key, "filtered", filters, timezone.localdate() if filters else None)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def shared(key: tuple, build):
    """Return the queryset kept under ``key`` (built by ``build()`` the first time)."""
    queryset = recall(key)
    if queryset is None:
        counter = QueryCounter()
        with connections[key[2]].execute_wrapper(counter):
            queryset = build()
        if counter.count or queryset._result_cache is not None:
            return queryset
        keep(key, queryset)
    return queryset.all()


class RepeatedValuesIterable(ValuesIterable):
    """``values()`` rows read through a prepared statement once the same statement repeats
    (``core.statements.repeated``): PostgreSQL plans a list's page (its visibility
    sub-selects and nested JSON) in 1.5–5 ms, as long as it takes to run it."""

    def __iter__(self):
        queryset = self.queryset
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return
        yield from value_rows(query, compiler, repeated.rows(queryset.db, sql, params))


def repeatable(rows):
    """Return the lean ``rows`` of an anonymous reader, read through prepared statements."""
    if rows._iterable_class is ValuesIterable:
        rows._iterable_class = RepeatedValuesIterable
    return rows


class CompiledPage:
    """One cursor page's statement over a kept list, compiled once with a sentinel for the
    cursor's position (an id), which each request replaces with its own."""

    SENTINEL = -7_231_000_003  # an id no record has, found again among the parameters

    def __init__(self, queryset, steps: tuple):
        queryset = apply_steps(without_unused_keys(queryset, steps), steps, self.SENTINEL)
        self.using = queryset.db
        query = queryset.query
        self.compiler = query.get_compiler(self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(self.SENTINEL) if self.SENTINEL in self.params else None
        if self.params.count(self.SENTINEL) > 1:
            raise ValueError("The position must be the statement's one such parameter.")
        self.query = query

    def rows(self, position: int | None) -> list[dict]:
        params = list(self.params)
        if self.slot is not None:
            params[self.slot] = position
        rows = repeated.rows(self.using, self.sql, params)
        return value_rows(self.query, self.compiler, rows)


def without_unused_keys(queryset, steps: tuple):
    """Return lean rows without ``modified`` when the page is not ordered by it: only a
    cursor on it reads it, and reading 50 timestamps into Python is a tenth of a page."""
    fields = getattr(queryset, "_fields", None) or ()
    # With what was annotated after values() (the planner's estimate).
    fields = (*fields, *(name for name in queryset.query.annotation_select if name not in fields))
    ordering = [
        name.lstrip("-")
        for step, *arguments in steps
        if step == "order_by"
        for name in arguments[0]
    ]
    if "modified" not in fields or "modified" in ordering or "json" not in fields:
        return queryset
    return queryset.values(*(name for name in fields if name != "modified"))


def apply_steps(queryset, steps: tuple, position):
    """Return ``queryset`` ordered, filtered by ``position`` and sliced as ``steps`` say."""
    for step, *arguments in steps:
        if step == "order_by":
            queryset = queryset.order_by(*arguments[0])
        elif step == "filter":
            queryset = queryset.filter(**{arguments[0]: position})
        else:
            queryset = queryset[arguments[0] : arguments[1]]
    return queryset


class KeptPages:
    """A kept list as DRF's cursor pagination reads it: ordered, filtered by the cursor's
    position and sliced, then read. Those steps name a statement compiled once
    (``CompiledPage``): ordering, filtering, slicing and compiling the list's query cost
    as much Python as the rest of a cursor page. A position that is not an id (a
    timestamp, or nonsense) takes the queryset's own way, with its own answers and errors.
    """

    def __init__(self, queryset, key: tuple, steps: tuple = (), position=None):
        self.queryset, self.key, self.steps, self.position = queryset, key, steps, position

    def then(self, step: tuple, position=None) -> KeptPages:
        position = self.position if position is None else position
        return KeptPages(self.queryset, self.key, (*self.steps, step), position)

    def order_by(self, *fields):
        return self.then(("order_by", fields))

    def filter(self, **lookups):
        ((lookup, position),) = lookups.items()
        return self.then(("filter", lookup), position)

    def __getitem__(self, bounds: slice) -> list[dict]:
        steps = (*self.steps, ("slice", bounds.start, bounds.stop))
        filtered = any(step[0] == "filter" for step in steps)
        try:
            position = int(self.position) if filtered else None
        except (TypeError, ValueError):
            position = None
        if filtered and (position is None or str(position) != str(self.position)):
            return list(apply_steps(self.queryset, steps, self.position))
        key = (*self.key, "page", steps)
        page = recall(key)
        if page is None:
            try:
                page = CompiledPage(self.queryset, steps)
            except (TypeError, ValueError, DjangoValidationError):
                page = False  # the position is not an id here (a timestamp ordering)
            keep(key, page)
        if page is False:
            return list(apply_steps(self.queryset, steps, self.position))
        return page.rows(position)


def kept_numbered_page(queryset, key: tuple, bottom: int, stop: int) -> list[dict]:
    """Return rows ``bottom:stop`` of a kept list with the planner's estimate of its
    length (``core.counting.with_estimate``), from a statement compiled once: compiling
    the list's ordering over its related tables cost a quarter of a page's Python time."""
    slot = (*key, "numbered", bottom, stop)
    page = recall(slot)
    if page is None:
        folded = with_estimate(queryset)
        if folded is None:
            return list(queryset[bottom:stop])
        page = keep(slot, CompiledPage(folded, (("slice", bottom, stop),)))
    return page.rows(None)


def kept_slice(queryset, key: tuple, bottom: int, stop: int) -> list[dict]:
    """Return rows ``bottom:stop`` of a kept ``values()`` list (a page's table) from a
    statement compiled once per list and slice."""
    if stop <= bottom:
        return []  # an empty list's page: Django's slice reads nothing either
    slot = (*key, "slice", bottom, stop)
    page = recall(slot)
    if page is None:
        try:
            page = CompiledPage(queryset, (("slice", bottom, stop),))
        except EmptyResultSet:  # a filter no row can match
            return []
        keep(slot, page)
    return page.rows(None)


def lean_rows(view, reader, origin: str):
    """Return the rows of ``view``'s list for its lean ``reader``: visible, filtered,
    ordered, from a shared queryset when the shape allows.

    An anonymous reader's list is kept per query string and day (``shape_key``) as its
    lean rows with its planner statement (the count estimate's), both built once
    (``core.counting`` reads ``estimate_statement``, which no clone keeps). When it
    cannot be kept (a filter reads a pagination parameter), it starts from the shared
    visible queryset (the rule's sub-selects built once) and filters a clone of it.
    """
    key = shape_key(view)
    if key is None:
        anonymous = anonymous_key(view)
        if anonymous is None:
            return reader.rows(view.filter_queryset(view.get_queryset()), view.request.user, origin)
        queryset = view.filter_queryset(shared((*anonymous, "visible"), view.get_queryset))
        return repeatable(reader.rows(queryset, view.request.user, origin))
    kept_key = (*key, "rows", origin)
    kept = recall(kept_key)
    if kept is None:
        queryset = shared(key, lambda: view.filter_queryset(view.get_queryset()))
        rows = repeatable(reader.rows(queryset, view.request.user, origin))
        if key not in _shapes:  # not kept: its building read the database
            return rows
        try:
            kept = keep(kept_key, (rows, planner_statement(rows)))
        except EmptyResultSet:  # a filter no row can match: its pages read nothing
            return rows
    # A clone of the kept rows: what a request reads is never cached in them.
    rows = kept[0].all()
    rows.estimate_statement = kept[1]
    # The cursor pages of this list compile their statement once (KeptPages), and
    # so do its numbered pages.
    rows.pages_key = (*key, origin)
    rows.kept_page = partial(kept_numbered_page, rows, rows.pages_key)
    return rows
