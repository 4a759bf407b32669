"""Statements prepared on the database connection: parsed and planned once, then executed
with new values.

A read the API answers many times with the same SQL (a record by its id) spends more in
PostgreSQL planning that statement (its visibility sub-selects and nested lists: 1.4 ms)
than running it (0.4 ms), and Python re-reads the whole text for its placeholders on
each request. A ``ServerStatement`` is compiled once per process: every parameter that
never changes is written into the text as a literal, the ones that do become ``$1``,
``$2``…; the first execution on a connection sends ``PREPARE`` and ``EXECUTE`` in one round
trip, later ones only ``EXECUTE name(values)``. It goes through Django's cursor, so query
logs, counts and execute wrappers see it as any query.
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections import OrderedDict

from django.db import ProgrammingError, connections

# Django's SQL: ``%s`` is a parameter, ``%%`` a literal percent sign.
PLACEHOLDER = re.compile(r"(%%|%s)")
TYPES = {int: "bigint", str: "text"}
BIGINT = range(-(2**63), 2**63)  # the integers a bigint parameter holds
_names = itertools.count(1)


def value_rows(query, compiler, rows) -> list[dict]:
    """Return ``rows`` of a ``values()`` query, run outside its queryset, as the queryset
    would: each a dict by column name, each value converted by ``compiler``."""
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    # A DISTINCT query selects its ordering's columns after the named ones: not returned.
    return [dict(zip(names, row, strict=False)) for row in compiler.results_iter(results=[rows])]


def argument(using: str, value) -> str:
    """Return ``value`` as an ``EXECUTE`` argument: an id as it is, a text quoted by the
    driver (once per text: a request's origin repeats)."""
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return quoted_text(using, connections[using].settings_dict["NAME"], value)
    return connections[using].ops.compose_sql("%s", [value])


@functools.lru_cache(maxsize=256)
def quoted_text(using: str, database: str, value: str) -> str:
    return connections[using].ops.compose_sql("%s", [value])


class NotPreparable(Exception):
    """PostgreSQL refused to prepare the statement (a parameter's type it cannot infer)."""


class ServerStatement:
    """``sql`` (Django's placeholders) with ``params``, of which those at ``variables``
    (index → position of the value in ``execute``'s values) change per execution."""

    def __init__(self, sql: str, params, variables: dict[int, int], types: list[type], using):
        self.sql, self.params, self.variables = sql, list(params), variables
        self.types = ", ".join(TYPES[kind] for kind in types)
        self.using = using
        self.text: str | None = None
        self.name = ""
        self.renamed()
        # The name this statement is prepared under, per live connection (a reconnection
        # is a new connection object, with nothing prepared on it).
        self.prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def renamed(self) -> None:
        self.name = f"registry_statement_{next(_names)}"

    def literal_text(self, connection) -> str:
        """Return the statement with its constant parameters written in as literals."""
        pieces, slots = [], iter(range(len(self.params)))
        for piece in PLACEHOLDER.split(self.sql):
            if piece == "%%":
                pieces.append("%")
            elif piece == "%s":
                slot = next(slots)
                if slot in self.variables:
                    pieces.append(f"${self.variables[slot] + 1}")
                else:
                    pieces.append(connection.ops.compose_sql("%s", [self.params[slot]]))
            else:
                pieces.append(piece)
        if next(slots, None) is not None:
            raise ValueError("The statement has more parameters than placeholders.")
        return "".join(pieces)

    def execute(self, values: list) -> tuple[list, list]:
        """Run the statement with ``values``; return its rows and its cursor's description.

        Raise ``ValueError`` for an integer no bigint holds (an id from the address):
        nothing in a bigint column equals it, and PostgreSQL would refuse the parameter.
        """
        if any(type(value) is int and value not in BIGINT for value in values):
            raise ValueError("An integer out of the bigint range.")
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if self.text is None:
                self.text = self.literal_text(connection)
            # A statement without parameters is prepared and executed without parentheses:
            # PostgreSQL refuses empty ones ("PREPARE name() AS" is a syntax error).
            arguments = ", ".join(argument(self.using, value) for value in values)
            arguments = f"({arguments})" if values else ""
            types = f"({self.types})" if self.types else ""
            raw = connection.connection
            prepared = self.prepared_on.get(raw) == self.name
            try:
                if prepared:
                    cursor.execute(f"EXECUTE {self.name}{arguments}")
                else:
                    cursor.execute(
                        f"PREPARE {self.name}{types} AS {self.text}; EXECUTE {self.name}{arguments}"
                    )
                    cursor.nextset()
                rows = cursor.fetchall()
            except Exception as error:
                # Whether the PREPARE took is unknown: the next try prepares a new name.
                self.prepared_on.pop(raw, None)
                if not prepared:
                    self.renamed()
                    if isinstance(error, ProgrammingError):
                        raise NotPreparable(str(error)) from error
                raise
            self.prepared_on[raw] = self.name
            return rows, cursor.description


# A statement run this often in a process is prepared: a list read with the same filters
# again and again (the plain list, its pages, the cursor pages), not one-off filter values.
PREPARE_AFTER = 2
MAX_KEPT = 256  # statements (and counts of statements seen) kept per process


class RepeatedStatements:
    """The statements a process runs repeatedly, prepared on its connections.

    Integer parameters (a cursor's position, a record's id) become the statement's
    parameters; every other value is written into its text, so that a statement keeps the
    plan its own values give it (a list read since a recent date is planned for that
    date). Only outside a transaction: a statement PostgreSQL refuses to prepare must not
    abort the caller's transaction; it is then run as it is, and not prepared again.
    """

    def __init__(self):
        self.kept: OrderedDict = OrderedDict()  # key -> times seen, a statement, or None
        # Names of forgotten statements still prepared, per live connection: deallocated
        # on that connection's next use here, so that a long-lived connection does not
        # gather one prepared statement per filter value ever repeated.
        self.forgotten: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def execute(self, using: str, sql: str, params) -> tuple[list, list] | None:
        """Return ``(rows, description)`` through a prepared statement, or None when the
        caller should run the statement itself."""
        connection = connections[using]
        if connection.in_atomic_block:
            return None
        variables, literals, values = {}, [], []
        for index, value in enumerate(params):
            if type(value) is int and value in BIGINT:
                variables[index] = len(values)
                values.append(value)
            else:
                literals.append((index, type(value), value))
        key = (using, connection.settings_dict["NAME"], sql, tuple(literals), len(values))
        try:
            entry = self.kept.get(key, 0)
        except TypeError:  # a list or another unhashable value among the parameters
            return None
        if isinstance(entry, int):
            if entry + 1 < PREPARE_AFTER:
                self.keep(key, entry + 1)
                return None
            entry = ServerStatement(sql, params, variables, [int] * len(values), using)
        if entry is None:
            return None
        self.keep(key, entry)
        self.deallocate(connection)
        try:
            return entry.execute(values)
        except NotPreparable:
            self.keep(key, None)
            return None

    def rows(self, using: str, sql: str, params) -> list:
        """Return the rows of ``sql``: through a prepared statement once it repeats, else
        run as it is."""
        result = self.execute(using, sql, params)
        if result is not None:
            return result[0]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def keep(self, key, entry) -> None:
        self.kept[key] = entry
        self.kept.move_to_end(key)
        while len(self.kept) > MAX_KEPT:
            _, forgotten = self.kept.popitem(last=False)
            if isinstance(forgotten, ServerStatement):
                for raw, name in list(forgotten.prepared_on.items()):
                    self.forgotten.setdefault(raw, set()).add(name)

    def deallocate(self, connection) -> None:
        """Deallocate the forgotten statements still prepared on ``connection``."""
        raw = connection.connection
        names = self.forgotten.pop(raw, None) if raw is not None else None
        if names:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"DEALLOCATE {name}" for name in sorted(names)))


repeated = RepeatedStatements()
