"""The lean read path: a list's or a record's JSON without a model instance per row.

A page of 50 pairings through the serializers instantiates some 600 model objects (the
pairings, their programmes, streams, participants and cities, status changes,
citations and sources) only to read a few columns of each. The lean path asks
PostgreSQL for those columns directly: one ``values()`` query whose to-many relations
come aggregated as JSON arrays (``ArraySubquery`` of ``JSONObject``), shaped by a plan.

The serializer stays the one definition of the JSON: the plan is compiled from its
fields, once per process (``plan_for``), and each field still turns its value into JSON
with its own ``to_representation``. A serializer with a field the compiler does not know
gets no plan, and its viewset keeps the serializer path; ``tests/api/test_lean.py``
compares both paths' output for every resource that has a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import F, ManyToManyField, ManyToOneRel, OuterRef, Prefetch
from django.db.models.functions import JSONObject
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from core.api.serializers import (
    PREFETCHED_SUFFIX,
    NestedRelatedField,
    RecordURLField,
    URLTemplate,
    WebURLField,
    column_of,
    origin_of,
)

# Fields whose to_representation returns a value of these types unchanged: skipped.
IDENTITY = {
    serializers.CharField: str,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
}
LIST_PREFIX = "lean__"


class Unplannable(Exception):
    """A serializer field the lean path cannot read from columns."""


class RowView:
    """A row read as a model instance reads, for a model property (``period_display``)."""

    __slots__ = ("row", "prefix")

    def __init__(self, row: dict, prefix: str):
        self.row, self.prefix = row, prefix

    def __getattr__(self, name):
        try:
            return self.row[self.prefix + name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Plan:
    """How to read one serializer's JSON from a row: the columns, then a step per field."""

    model: type
    prefix: str = ""
    lookups: set = field(default_factory=set)  # values() lookups (or JSON keys)
    lists: dict = field(default_factory=dict)  # key -> (subquery builder, child plan)
    steps: list = field(default_factory=list)  # (name, function(row, urls) -> value)
    urls: dict = field(default_factory=dict)  # key -> (route, kwarg)

    def shape(self, row: dict, urls: dict) -> dict:
        return {name: step(row, urls) for name, step in self.steps}


def plain_step(key: str, serializer_field):
    identity = IDENTITY.get(type(serializer_field))
    represent = serializer_field.to_representation

    def step(row, urls):
        value = row[key]
        if value is None:
            return None
        if identity is not None and type(value) is identity:
            return value
        return represent(value)

    return step


def compile_plan(serializer, model, prefix: str = "", nested: bool = False) -> Plan:
    """Return the plan of ``serializer`` (an instance) over rows of ``model``."""
    plan = Plan(model=model, prefix=prefix)
    opts = model._meta
    for serializer_field in serializer._readable_fields:
        name = serializer_field.field_name
        source = serializer_field.source
        if isinstance(serializer_field, RecordURLField):
            key = f"url:{serializer_field.view_name}"
            plan.urls[key] = (serializer_field.view_name, serializer_field.lookup_url_kwarg)
            plan.lookups.add(prefix + "id")
            plan.steps.append((name, url_step(key, prefix + "id", blank_is_none=False)))
            continue
        if isinstance(serializer_field, WebURLField):
            key = f"web:{serializer_field.route}"
            plan.urls[key] = (serializer_field.route, serializer_field.kwarg)
            kwarg = serializer_field.kwarg
            column = prefix + (opts.pk if kwarg == "pk" else opts.get_field(kwarg)).attname
            plan.lookups.add(column)
            plan.steps.append((name, url_step(key, column, blank_is_none=True)))
            continue
        column = column_of(serializer_field)
        if column is not None:
            plan.lookups.add(prefix + column)
            plan.steps.append((name, plain_step(prefix + column, serializer_field)))
            continue
        if isinstance(serializer_field, NestedRelatedField):
            relation = opts.get_field(source)
            if not relation.many_to_one:
                raise Unplannable(f"{name}: not a foreign key")
            reference = serializer_field.ref_serializer()
            child = compile_plan(reference, relation.related_model, f"{prefix}{source}__", nested)
            plan.lookups |= child.lookups
            plan.lookups.add(prefix + relation.attname)
            plan.steps.append((name, reference_step(prefix + relation.attname, child)))
            continue
        if isinstance(serializer_field, serializers.Serializer):
            # A nested serializer on a foreign key (a citation's ``source``).
            relation = opts.get_field(source)
            if not relation.many_to_one:
                raise Unplannable(f"{name}: not a foreign key")
            child = compile_plan(
                serializer_field, relation.related_model, f"{prefix}{source}__", nested
            )
            plan.lookups |= child.lookups
            plan.lookups.add(prefix + relation.attname)
            plan.steps.append((name, reference_step(prefix + relation.attname, child)))
            continue
        if isinstance(serializer_field, ManyRelatedField) and isinstance(
            serializer_field.child_relation, serializers.SlugRelatedField
        ):
            # Related records named by one column (a record's themes, as slugs).
            if nested or prefix:
                raise Unplannable(f"{name}: a list inside a nested object")
            relation = opts.get_field(source)
            slug = serializer_field.child_relation.slug_field
            child = Plan(model=relation.related_model, lookups={slug})
            key = LIST_PREFIX + source
            plan.lists[key] = (relation, child)
            plan.steps.append((name, slug_list_step(key, slug)))
            continue
        if isinstance(serializer_field, serializers.ListSerializer | ManyRelatedField):
            if nested or prefix:
                raise Unplannable(f"{name}: a list inside a nested object")
            child_serializer = (
                serializer_field.child
                if isinstance(serializer_field, serializers.ListSerializer)
                else serializer_field.child_relation.ref_serializer()
            )
            relation = opts.get_field(source)
            child = compile_plan(child_serializer, relation.related_model, "", nested=True)
            key = LIST_PREFIX + source
            plan.lists[key] = (relation, child)
            plan.steps.append((name, list_step(key, child)))
            continue
        if (
            isinstance(serializer_field, serializers.CharField)
            and serializer_field.read_only
            and "." not in source
            and isinstance(getattr(model, source, None), property)
        ):
            # A property of the record (``period_display``): read from its own columns.
            getter = getattr(model, source).fget
            plan.lookups |= {prefix + f.attname for f in opts.concrete_fields}
            plan.steps.append((name, property_step(getter, prefix, serializer_field)))
            continue
        raise Unplannable(f"{name}: {type(serializer_field).__name__}")
    return plan


def url_step(key: str, column: str, blank_is_none: bool):
    def step(row, urls):
        value = row[column]
        if blank_is_none and value in (None, ""):
            return None
        return urls[key](value)

    return step


def slug_list_step(key: str, slug: str):
    def step(row, urls):
        return [item[slug] for item in row[key] or ()]

    return step


def reference_step(column: str, child: Plan):
    def step(row, urls):
        return None if row[column] is None else child.shape(row, urls)

    return step


def list_step(key: str, child: Plan):
    def step(row, urls):
        return [child.shape(item, urls) for item in row[key] or ()]

    return step


def property_step(getter, prefix: str, serializer_field):
    represent = serializer_field.to_representation

    def step(row, urls):
        value = getter(RowView(row, prefix))
        return None if value is None else represent(value)

    return step


def list_subquery(relation, child: Plan, prefetch_queryset):
    """Return the ``ArraySubquery`` of one record's related rows as JSON objects."""
    model = relation.related_model
    queryset = prefetch_queryset if prefetch_queryset is not None else model._default_manager.all()
    if isinstance(relation, GenericRelation):
        link = relation.object_id_field_name
        queryset = queryset.filter(
            **{
                link: OuterRef("pk"),
                relation.content_type_field_name: ContentType.objects.get_for_model(
                    relation.model, for_concrete_model=False
                ),
            }
        )
    elif isinstance(relation, ManyToOneRel):
        link = relation.field.name
        queryset = queryset.filter(**{link: OuterRef("pk")})
    elif isinstance(relation, ManyToManyField):
        link = relation.related_query_name()
        queryset = queryset.filter(**{link: OuterRef("pk")})
    else:
        raise Unplannable(f"{relation.name}: {type(relation).__name__}")
    ordering = list(queryset.query.order_by) or list(model._meta.ordering)
    # Within one record, ordering by the record itself (a model's default) changes nothing.
    ordering = [o for o in ordering if str(o).lstrip("-") not in (link, f"{link}_id")]
    values = {lookup: F(lookup) for lookup in sorted(child.lookups)}
    return ArraySubquery(
        queryset.select_related(None).order_by(*ordering).values(json=JSONObject(**values))
    )


class LeanReader:
    """One viewset's lean plan: the rows of a queryset, shaped as its serializer's JSON."""

    def __init__(self, serializer_class, queryset):
        self.model = queryset.model
        self.plan = compile_plan(serializer_class(), queryset.model)
        self.prefetches = {
            lookup.prefetch_to.removesuffix(PREFETCHED_SUFFIX): lookup.queryset
            for lookup in queryset._prefetch_related_lookups
            if isinstance(lookup, Prefetch)
        }
        self.lookups = sorted(self.plan.lookups | {"id"})
        self.statements: dict = {}

    def annotations(self) -> dict:
        # Built per request (a few objects): a content type's id is looked up through
        # Django's cache, which a test database's flush clears.
        return {
            key: list_subquery(relation, child, self.prefetches.get(relation.name))
            for key, (relation, child) in self.plan.lists.items()
        }

    def rows(self, queryset):
        """Return ``queryset`` (filtered, ordered) as the rows the plan shapes."""
        return queryset.prefetch_related(None).values(*self.lookups, **self.annotations())

    def prepared(self, queryset_for, using: str) -> PreparedRead:
        """Return the one-record statement for ``queryset_for(pk)``, compiled once."""
        # A content type's id is among the parameters (the citations' sub-select): a test
        # database's flush renumbers them, and clears the cache this reads.
        content_type = ContentType.objects.db_manager(using).get_for_model(self.model)
        key = (using, connections[using].settings_dict["NAME"], content_type.pk)
        statement = self.statements.get(key)
        if statement is None:
            statement = self.statements[key] = PreparedRead(self, queryset_for, using)
        return statement

    def url_templates(self, request) -> dict:
        origin = origin_of(request)
        return {
            key: URLTemplate(route, kwarg, origin) for key, (route, kwarg) in self.plan.urls.items()
        }

    def shape(self, rows, request) -> list[dict]:
        urls = self.url_templates(request)
        return [self.plan.shape(row, urls) for row in rows]


class PreparedRead:
    """A record's lean read, its SQL compiled once: building and compiling the query (the
    visibility rule's sub-selects, the nested lists' JSON) cost several times what
    PostgreSQL takes to answer it. Each read puts its id in and runs the same text."""

    SENTINEL = -7_231_000_001  # an id no record has, found again among the parameters

    def __init__(self, reader: LeanReader, queryset_for, using: str):
        queryset = reader.rows(queryset_for(self.SENTINEL))
        query = queryset.query
        self.compiler = query.get_compiler(using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(self.SENTINEL)
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.using = using

    def rows(self, pk: int) -> list[dict]:
        params = list(self.params)
        params[self.slot] = pk
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            results = cursor.fetchall()
        names = self.names
        return [
            dict(zip(names, row, strict=True))
            for row in self.compiler.results_iter(results=[results])
        ]


_readers: dict = {}


def reader_for(viewset) -> LeanReader | None:
    """Return the lean reader of ``viewset``'s class (made once per process), or None.

    A viewset opts in with ``lean = True`` once a test compares its lean output with its
    serializer's (``tests/api/test_lean.py``).
    """
    cls = type(viewset)
    if not getattr(cls, "lean", False):
        return None
    if cls not in _readers:
        try:
            _readers[cls] = LeanReader(viewset.get_serializer_class(), cls.queryset)
        except Unplannable:
            _readers[cls] = None
    return _readers[cls]
