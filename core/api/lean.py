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

import re
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import (
    Exists,
    F,
    Func,
    JSONField,
    ManyToManyField,
    ManyToOneRel,
    OuterRef,
    Prefetch,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.functions import Cast, JSONObject
from django.db.models.query_utils import DeferredAttribute
from rest_framework import ISO_8601, serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings

from core.api.serializers import (
    PREFETCHED_SUFFIX,
    AnnotatedMethodField,
    NestedRelatedField,
    RecordURLField,
    URLTemplate,
    WebURLField,
    column_of,
    origin_of,
)
from core.dates import format_period
from core.statements import ServerStatement, value_rows
from core.visibility import visible_to

# Fields whose to_representation returns a value of these types unchanged: skipped.
IDENTITY = {
    serializers.CharField: str,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
}
LIST_PREFIX = "lean__"
SEEN_PREFIX = "lean_seen__"


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
    # name -> function() -> expression: a method field's value, read as an annotation.
    annotations: dict = field(default_factory=dict)
    # key -> (foreign key column, model): whether the reader may see the record a
    # reference names (``NestedRelatedField(unseen_as_null=True)``), read per row.
    seen: dict = field(default_factory=dict)
    # key -> function(user) -> Q or None: the items of a list its reader may see (a
    # list serializer's ``lean_filter``, as its ``to_representation`` chooses them).
    filters: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)  # (name, function(row, urls) -> value)
    urls: dict = field(default_factory=dict)  # key -> (route, kwarg)
    # (name, function(origin) -> SQL expression of the value's JSON), or None when a field
    # has no SQL form: the rows are then shaped in Python (``steps``).
    sql: list | None = field(default_factory=list)

    def shape(self, row: dict, urls: dict) -> dict:
        return {name: step(row, urls) for name, step in self.steps}

    def add_sql(self, name: str, builder) -> None:
        if self.sql is not None:
            self.sql.append((name, builder))

    def no_sql(self) -> None:
        self.sql = None

    def json_expression(self, origin):
        """Return the SQL expression of a row's JSON object (``json_build_object``)."""
        pairs = []
        for name, builder in self.sql:
            pairs += [Value(name), builder(origin)]
        return Func(*pairs, function="json_build_object", output_field=JSONField())


def items_filter(serializer_field):
    """Return a nested list's ``lean_filter(user) -> Q | None``, or None when the list
    shows all its items. A list serializer that chooses its items (its own
    ``to_representation``: a record's citations, less those of sources the reader may not
    see) must say how as a condition, or the list has no lean plan."""
    if not isinstance(serializer_field, serializers.ListSerializer):
        return None
    chooser = getattr(serializer_field, "lean_filter", None)
    if chooser is not None:
        return chooser
    if type(serializer_field).to_representation is not serializers.ListSerializer.to_representation:
        raise Unplannable(f"{serializer_field.field_name}: its items are chosen in Python")
    return None


class Described:
    """What a model field's descriptor reads and writes: the stored value only."""


def own_descriptor(model, column: str, serializer_field):
    """Return the descriptor of a model field that turns its stored value into another
    (several countries from "PH,IT"), or None: a plain column, or a serializer field that
    says how it reads the stored value (``lean_sql``)."""
    owner = next((klass for klass in model.__mro__ if column in vars(klass)), None)
    descriptor = None if owner is None else vars(owner)[column]
    if (
        descriptor is None
        or hasattr(serializer_field, "lean_sql")
        or type(descriptor)
        in (
            DeferredAttribute,
            ForeignKeyDeferredAttribute,
        )
    ):
        return None
    return descriptor


def described_step(key: str, descriptor, serializer_field):
    represent = serializer_field.to_representation

    def step(row, urls):
        holder = Described()
        descriptor.__set__(holder, row[key])
        value = descriptor.__get__(holder, Described)
        return None if value is None else represent(value)

    return step


def id_step(column: str):
    def step(row, urls):
        return row[column]

    return step


def annotation_step(name: str):
    def step(row, urls):
        return row[name]

    return step


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
            route = (serializer_field.view_name, serializer_field.lookup_url_kwarg)
            plan.add_sql(name, url_sql(route, prefix + "id", blank_is_none=False))
            continue
        if isinstance(serializer_field, WebURLField):
            key = f"web:{serializer_field.route}"
            plan.urls[key] = (serializer_field.route, serializer_field.kwarg)
            kwarg = serializer_field.kwarg
            column = prefix + (opts.pk if kwarg == "pk" else opts.get_field(kwarg)).attname
            plan.lookups.add(column)
            plan.steps.append((name, url_step(key, column, blank_is_none=True)))
            route = (serializer_field.route, kwarg)
            plan.add_sql(name, url_sql(route, column, blank_is_none=True))
            continue
        column = column_of(serializer_field)
        if column is not None:
            plan.lookups.add(prefix + column)
            descriptor = own_descriptor(model, column, serializer_field)
            if descriptor is not None:
                # A field with its own descriptor turns the stored value into another
                # (several countries from "PH,IT"): read as an instance would read it.
                plan.steps.append(
                    (name, described_step(prefix + column, descriptor, serializer_field))
                )
                plan.no_sql()
                continue
            plan.steps.append((name, plain_step(prefix + column, serializer_field)))
            builder = column_sql(prefix + column, serializer_field)
            if builder is None:
                plan.no_sql()
            else:
                plan.add_sql(name, builder)
            continue
        if isinstance(serializer_field, NestedRelatedField | serializers.Serializer):
            # A small embedded object (``programme``), or a nested serializer on a foreign
            # key (a citation's ``source``).
            relation = opts.get_field(source)
            if not (relation.many_to_one or relation.one_to_one and relation.concrete):
                raise Unplannable(f"{name}: not a foreign key")
            reference = (
                serializer_field.ref_serializer()
                if isinstance(serializer_field, NestedRelatedField)
                else serializer_field
            )
            child = compile_plan(reference, relation.related_model, f"{prefix}{source}__", nested)
            plan.lookups |= child.lookups
            plan.lookups.add(prefix + relation.attname)
            seen = None
            if getattr(serializer_field, "unseen_as_null", False):
                # Null to a reader who may not see the record (the pairing a partner
                # request became): whether they may is a column of the rows' own query.
                if nested or prefix:
                    raise Unplannable(f"{name}: a reader's reference inside a nested object")
                seen = SEEN_PREFIX + source
                plan.seen[seen] = (relation.attname, relation.related_model)
                plan.no_sql()
            plan.steps.append((name, reference_step(prefix + relation.attname, child, seen)))
            if child.sql is None:
                plan.no_sql()
            else:
                plan.add_sql(name, reference_sql(prefix + relation.attname, child))
            continue
        if isinstance(serializer_field, serializers.PrimaryKeyRelatedField):
            # A related record named by its id (a source's ``programme``).
            relation = opts.get_field(source)
            if not relation.many_to_one:
                raise Unplannable(f"{name}: not a foreign key")
            plan.lookups.add(prefix + relation.attname)
            plan.steps.append((name, id_step(prefix + relation.attname)))
            plan.add_sql(name, lambda origin, column=prefix + relation.attname: F(column))
            continue
        if isinstance(serializer_field, serializers.ListField) and not prefix:
            # A list stored in one column (an ArrayField: a request's preferred countries).
            model_field = opts.get_field(source)
            if not model_field.concrete or model_field.is_relation:
                raise Unplannable(f"{name}: not a column")
            plan.lookups.add(model_field.attname)
            descriptor = own_descriptor(model, model_field.attname, serializer_field)
            if descriptor is not None:
                step = described_step(model_field.attname, descriptor, serializer_field)
                plan.steps.append((name, step))
                plan.no_sql()
                continue
            plan.steps.append((name, plain_step(model_field.attname, serializer_field)))
            if type(serializer_field.child) in IDENTITY:
                plan.add_sql(name, lambda origin, column=model_field.attname: F(column))
            else:
                plan.no_sql()
            continue
        if isinstance(serializer_field, AnnotatedMethodField):
            # A value a method computes from an instance, read as its annotation.
            if nested or prefix:
                raise Unplannable(f"{name}: an annotation inside a nested object")
            plan.annotations[name] = serializer_field.annotation
            plan.lookups.add(name)
            plan.steps.append((name, annotation_step(name)))
            plan.no_sql()  # the annotation belongs to the rows' own query
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
            child.sql = None  # a list of plain values, not of objects
            key = LIST_PREFIX + source
            plan.lists[key] = (relation, child)
            plan.steps.append((name, slug_list_step(key, slug)))
            plan.add_sql(name, list_sql(key))
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
            chooser = items_filter(serializer_field)
            if chooser is not None:
                plan.filters[key] = chooser
            plan.steps.append((name, list_step(key, child)))
            if child.sql is None:
                plan.no_sql()
            else:
                plan.add_sql(name, list_sql(key))
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
            builder = property_sql(getter)
            if builder is None:
                plan.no_sql()
            else:
                plan.add_sql(name, builder(prefix))
            continue
        raise Unplannable(f"{name}: {type(serializer_field).__name__}")
    return plan


# --- The same JSON, built by PostgreSQL --------------------------------------------------
#
# Each field's SQL writes what its ``to_representation`` returns, once parsed: the test
# of the lean path (tests/api/test_lean.py) compares both on records with every optional
# field filled and empty. A field with no SQL form here leaves the plan to Python.


class Template(Func):
    """A SQL template whose arguments may appear more than once: ``{0}``, ``{1}``…"""

    def __init__(self, template: str, *expressions, output_field):
        super().__init__(*expressions, output_field=output_field)
        self.sql_template = template

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        sql, params = [], []
        for piece in re.split(r"(\{\d\})", self.sql_template):
            if re.fullmatch(r"\{\d\}", piece):
                part, part_params = compiled[int(piece[1])]
                sql.append(f"({part})")
                params.extend(part_params)
            else:
                sql.append(piece)
        return "".join(sql), params


# DRF's DateTimeField, in UTC: ISO 8601, microseconds only when there are some, "Z".
DATETIME_SQL = (
    "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
    "extract(microseconds FROM {0})::bigint %% 1000000 = 0 THEN '' "
    "ELSE to_char({0} AT TIME ZONE 'UTC', '.US') END || 'Z'"
)
# core.dates.format_date and format_period (English month abbreviations: to_char's "Mon"
# is not translated without the TM prefix, as strftime's "%b" is not in the C locale).
DATE_SQL = (
    "CASE <precision> WHEN 'year' THEN to_char(<date>, 'FMYYYY') WHEN 'month' THEN "
    "to_char(<date>, 'Mon FMYYYY') ELSE to_char(<date>, 'FMDD Mon FMYYYY') END"
)


def _date_sql(date: str, precision: str) -> str:
    return DATE_SQL.replace("<date>", date).replace("<precision>", precision)


PERIOD_SQL = (
    "CASE WHEN {0} IS NULL THEN '' "
    "WHEN {1} IS NULL OR {1} = {0} THEN " + _date_sql("{0}", "{2}") + " "
    "WHEN {2} = 'year' THEN CASE WHEN extract(year FROM {0}) = extract(year FROM {1}) "
    "THEN to_char({0}, 'FMYYYY') ELSE to_char({0}, 'FMYYYY') || '–' || to_char({1}, 'FMYYYY') END "
    "WHEN {2} = 'month' THEN CASE "
    "WHEN date_trunc('month', {0}) = date_trunc('month', {1}) THEN to_char({0}, 'Mon FMYYYY') "
    "WHEN extract(year FROM {0}) = extract(year FROM {1}) "
    "THEN to_char({0}, 'Mon') || '–' || to_char({1}, 'Mon FMYYYY') "
    "ELSE to_char({0}, 'Mon FMYYYY') || ' – ' || to_char({1}, 'Mon FMYYYY') END "
    "WHEN date_trunc('month', {0}) = date_trunc('month', {1}) "
    "THEN to_char({0}, 'FMDD') || '–' || to_char({1}, 'FMDD Mon FMYYYY') "
    "WHEN extract(year FROM {0}) = extract(year FROM {1}) "
    "THEN to_char({0}, 'FMDD Mon') || ' – ' || to_char({1}, 'FMDD Mon FMYYYY') "
    "ELSE " + _date_sql("{0}", "{2}") + " || ' – ' || " + _date_sql("{1}", "{2}") + " END"
)


def period_sql(prefix: str):
    def build(origin):
        return Template(
            PERIOD_SQL,
            F(prefix + "start_date"),
            F(prefix + "end_date"),
            F(prefix + "date_precision"),
            output_field=TextField(),
        )

    return build


def property_sql(getter):
    """Return the SQL builder of a model property, or None: a record's ``period_display``
    (``format_period`` of its own start, end and precision) is the one known."""
    code = getattr(getter, "__code__", None)
    names = ("format_period", "start_date", "end_date", "date_precision")
    if code is not None and code.co_names == names and format_period.__name__ == names[0]:
        return period_sql
    return None


def column_sql(column: str, serializer_field):
    """Return the SQL builder of a plain column's JSON value, or None."""
    if hasattr(serializer_field, "lean_sql"):
        # A field that represents its value its own way says how in SQL too.
        return lambda origin: serializer_field.lean_sql(column)
    if isinstance(serializer_field, serializers.DateTimeField):
        output_format = getattr(serializer_field, "format", api_settings.DATETIME_FORMAT)
        if settings.TIME_ZONE != "UTC" or output_format != ISO_8601:
            return None
        return lambda origin: Template(DATETIME_SQL, F(column), output_field=TextField())
    if isinstance(serializer_field, serializers.DateField) and (
        getattr(serializer_field, "format", api_settings.DATE_FORMAT) != ISO_8601
    ):
        return None
    if isinstance(serializer_field, serializers.DecimalField | serializers.IntegerField) and (
        getattr(serializer_field, "coerce_to_string", False)
        or getattr(serializer_field, "normalize_output", False)
    ):
        return None  # a decimal as text, or normalised: as PostgreSQL would not write it
    if isinstance(serializer_field, serializers.ChoiceField) and type(serializer_field) not in (
        serializers.ChoiceField,
    ):
        return None  # a subclass may represent its value otherwise (a country as a dict)
    return lambda origin: F(column)


def url_sql(route: tuple, column: str, blank_is_none: bool):
    view_name, kwarg = route

    def build(origin):
        head, tail = URLTemplate(view_name, kwarg).head, URLTemplate(view_name, kwarg).tail
        url = Func(
            origin,
            Value(head),
            Cast(F(column), TextField()),
            Value(tail),
            function="",
            arg_joiner=" || ",
            output_field=TextField(),
        )
        if not blank_is_none:
            return url
        return Template(
            "CASE WHEN {0} IS NULL OR {0}::text = '' THEN NULL ELSE {1} END",
            F(column),
            url,
            output_field=TextField(),
        )

    return build


def reference_sql(column: str, child: Plan):
    def build(origin):
        return Template(
            "CASE WHEN {0} IS NULL THEN NULL ELSE {1} END",
            F(column),
            child.json_expression(origin),
            output_field=JSONField(),
        )

    return build


def list_sql(key: str):
    # The list's sub-select is an annotation of the rows' query (``LeanReader.rows``).
    return lambda origin: Func(F(key), function="array_to_json", output_field=JSONField())


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


def reference_step(column: str, child: Plan, seen: str | None = None):
    def step(row, urls):
        if row[column] is None or seen is not None and not row[seen]:
            return None
        return child.shape(row, urls)

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


def list_subquery(relation, child: Plan, prefetch_queryset, origin=None):
    """Return the ``ArraySubquery`` of one record's related rows as JSON objects (with
    ``origin``: each built by PostgreSQL as the serializer's JSON; a list of slugs as the
    slugs)."""
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
    queryset = queryset.select_related(None).order_by(*ordering)
    if origin is not None:
        if child.sql is not None:
            return ArraySubquery(queryset.values(json=child.json_expression(origin)))
        (slug,) = child.lookups
        return ArraySubquery(queryset.values(slug))
    values = {lookup: F(lookup) for lookup in sorted(child.lookups)}
    return ArraySubquery(queryset.values(json=JSONObject(**values)))


# The origin of a prepared statement's URLs, replaced by each request's.
ORIGIN_SENTINEL = "lean-origin-7231"
# What the paginators and the ETag read from a row besides its JSON (cursor positions are
# on ``id`` or ``modified``, core.api.pagination).
ROW_KEYS = ("id", "modified")


class LeanReader:
    """One viewset's lean plan: the rows of a queryset, shaped as its serializer's JSON.

    When every field has a SQL form (``Plan.sql``), PostgreSQL builds each row's JSON text
    and the rows are written as they are (``orjson.Fragment``): no Python step per value.
    """

    def __init__(self, serializer_class, queryset):
        self.model = queryset.model
        self.plan = compile_plan(serializer_class(), queryset.model)
        self.in_sql = self.plan.sql is not None
        self.prefetches = {
            lookup.prefetch_to.removesuffix(PREFETCHED_SUFFIX): lookup.queryset
            for lookup in queryset._prefetch_related_lookups
            if isinstance(lookup, Prefetch)
        }
        self.lookups = sorted(self.plan.lookups | {"id"})
        concrete = {f.attname for f in self.model._meta.concrete_fields}
        self.row_keys = [key for key in ROW_KEYS if key in concrete]
        self.statements: dict = {}

    def choices(self, user) -> dict:
        """Return, per nested list that chooses its items, the condition ``user``'s items
        meet (none: every item)."""
        choices = {key: chooser(user) for key, chooser in self.plan.filters.items()}
        return {key: condition for key, condition in choices.items() if condition is not None}

    def annotations(self, choices: dict, origin=None) -> dict:
        # Built per request (a few objects): a content type's id is looked up through
        # Django's cache, which a test database's flush clears.
        annotations = {}
        for key, (relation, child) in self.plan.lists.items():
            items = self.prefetches.get(relation.name)
            if key in choices:
                items = items if items is not None else relation.related_model._default_manager
                items = items.filter(choices[key])
            annotations[key] = list_subquery(relation, child, items, origin)
        return annotations

    def rows(self, queryset, user, origin: str = ""):
        """Return ``queryset`` (filtered, ordered) as the rows the plan shapes for ``user``
        (the nested lists' items they may see)."""
        queryset = queryset.prefetch_related(None)
        choices = self.choices(user)
        if not self.in_sql:
            computed = {
                name: annotation()
                for name, annotation in self.plan.annotations.items()
                if name not in queryset.query.annotations
            }
            for key, (column, model) in self.plan.seen.items():
                visible = visible_to(user, model._default_manager.all())
                computed[key] = Exists(visible.filter(pk=OuterRef(column)))
            lookups = [lookup for lookup in self.lookups if lookup not in computed]
            return queryset.values(*lookups, **computed, **self.annotations(choices))
        sql, params = self.json_select(queryset.db, choices)
        params = [origin if param == ORIGIN_SENTINEL else param for param in params]
        return queryset.values(*self.row_keys, json=RawSQL(sql, params, output_field=TextField()))

    def json_select(self, using: str, choices: dict) -> tuple[str, list]:
        """Return the sub-select of a row's JSON text, compiled once (its origin a sentinel).

        Building and compiling its expressions (a ``json_build_object`` per object, a
        sub-select per list) cost more than the rest of a list's query; compiled once, each
        list only puts the sub-select's text into its own statement. It reads the row of
        the outer statement's table by its id (``OuterRef``), whatever that statement's
        filters and order.
        """
        content_type = ContentType.objects.db_manager(using).get_for_model(self.model)
        key = (
            "json",
            using,
            connections[using].settings_dict["NAME"],
            content_type.pk,
            tuple(sorted(choices.items())),  # one statement per kind of reader
        )
        if key not in self.statements:
            origin = Value(ORIGIN_SENTINEL, output_field=TextField())
            # One row by its id: no order (the model's default joined a table to sort it).
            inner = (
                self.model._base_manager.using(using)
                .filter(pk=OuterRef("pk"))
                .order_by()
                .annotate(**self.annotations(choices, origin))
                .values(json=Cast(self.plan.json_expression(origin), TextField()))
            )
            outer = self.model._base_manager.using(using).values(json=Subquery(inner))
            compiler = outer.query.get_compiler(using)
            sql, params = compiler.compile(outer.query.annotations["json"])
            self.statements[key] = (sql, list(params))
        return self.statements[key]

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

    def shape(self, rows, request) -> list:
        if self.in_sql:
            return [orjson.Fragment(row["json"]) for row in rows]
        urls = self.url_templates(request)
        return [self.plan.shape(row, urls) for row in rows]


class PreparedRead:
    """A record's lean read, its SQL compiled once: building and compiling the query (the
    visibility rule's sub-selects, the nested lists' JSON) cost several times what
    PostgreSQL takes to answer it. Each read puts its id (and origin) in and runs the same
    text."""

    SENTINEL = -7_231_000_001  # an id no record has, found again among the parameters

    def __init__(self, reader: LeanReader, queryset_for, using: str):
        # Anonymous readers' (the one statement they all share).
        queryset = reader.rows(queryset_for(self.SENTINEL), AnonymousUser(), ORIGIN_SENTINEL)
        query = queryset.query
        self.compiler = query.get_compiler(using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(self.SENTINEL)
        self.origin_slots = [i for i, p in enumerate(self.params) if p == ORIGIN_SENTINEL]
        self.query = query
        self.using = using
        # Prepared on each connection: planned once, not per read (core.statements).
        variables = {self.slot: 0, **dict.fromkeys(self.origin_slots, 1)}
        self.statement = ServerStatement(self.sql, self.params, variables, [int, str], using)

    def rows(self, pk: int, origin: str = "") -> list[dict]:
        results, _ = self.statement.execute([pk, origin])
        return value_rows(self.query, self.compiler, results)


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
