"""A condition compiled to SQL once, however many statements and requests reuse it.

The visibility rule (``VisibilityQuerySet.visible_to``) is a tree of nested ``EXISTS``
sub-selects that Django compiles anew for every statement that carries it: about 2 ms a
statement, twice a list (its count estimate and its page), the largest share of a list's
compile time. Resolved once, its SQL text cannot change: the aliases it names were fixed
when it was resolved, and a query that renames them (``relabeled_clone``, as a sub-select
inside another query) gets a new, uncompiled copy.
"""

from __future__ import annotations

from django.db.models import BooleanField, Expression


class CompiledOnce(Expression):
    """A resolved condition whose SQL is kept after its first compilation, per database."""

    conditional = True

    def __init__(self, condition, *, resolved: bool = False):
        super().__init__(output_field=BooleanField())
        self.condition = condition
        self.resolved = resolved
        self.compiled: dict = {}

    def __repr__(self):
        return f"{type(self).__name__}({self.condition!r})"

    def get_source_expressions(self):
        return [self.condition]

    def set_source_expressions(self, expressions):
        (self.condition,) = expressions
        self.compiled = {}

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        if self.resolved:
            # A lookup resolves its sides again when it compiles: the same node, its SQL kept.
            return self
        condition = self.condition.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return type(self)(condition, resolved=True)

    def copy(self):
        copied = super().copy()
        copied.compiled = {}
        return copied

    def as_sql(self, compiler, connection):
        key = (connection.alias, connection.vendor)
        compiled = self.compiled.get(key)
        if compiled is None:
            sql, params = compiler.compile(self.condition)
            compiled = self.compiled[key] = (sql, tuple(params))
        return compiled[0], list(compiled[1])
