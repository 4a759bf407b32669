"""Serializer pieces every resource shares.

- ``RegistryModelSerializer``: refuses unknown fields, runs the model's own ``full_clean()``
  in ``validate()`` and saves the instance it checked (so ``clean()``'s normalisations,
  e.g. an activity's month-precise dates, are what gets stored).
- ``NestedRelatedField``: a relation read as a small embedded object and written as an id.
- ``prefetched()``: a list's to-many relations prefetched into plain lists, which the
  nested serializers read (``PrefetchedListSerializer``, ``NestedRelatedField(many=True)``).
- ``ErrorSerializer``: the documented shape of every error response.
"""

import copy
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField, PKOnlyObject

from core.api.exceptions import django_errors_to_drf
from core.concurrency import changed_fields
from core.visibility import visible_to

UNKNOWN_FIELD = "Unknown field: remove it or check its spelling."


class FastRepresentationMixin:
    """DRF's ``to_representation``, with the work that is the same for every record done
    once per response: the readable fields are listed once, and a plain model column is
    read with ``getattr`` (DRF's generic lookup also checks each value for a callable).

    A page of 50 pairings embeds some 900 objects, so this is most of what serializing
    it costs.
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = [
                (field.field_name, field, column_of(field)) for field in self._readable_fields
            ]
        representation = {}
        for name, field, column in plan:
            if column is not None:
                value = getattr(instance, column)
            else:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject):
                    value = value if value.pk is not None else None
            representation[name] = None if value is None else field.to_representation(value)
        return representation


PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
)


def column_of(field) -> str | None:
    """Return the attribute a field reads when it is a plain column of the model, else None."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or len(field.source_attrs) != 1 or not isinstance(field, PLAIN_FIELDS):
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not model_field.concrete or model_field.is_relation:
        return None
    return model_field.attname


class AnnotatedMethodField(serializers.SerializerMethodField):
    """A method field whose value a query can also give: ``annotation()`` returns the
    expression of it per record (a sub-select), which the lean path (``core.api.lean``)
    reads instead of calling the method on an instance. A queryset that already has an
    annotation of that name (a search's ``matched_name``) is read as it is."""

    def __init__(self, annotation, **kwargs):
        self.annotation = annotation
        super().__init__(**kwargs)


class RejectUnknownFieldsMixin:
    """Answer 400 to fields the serializer does not have, instead of ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


PREFETCHED_SUFFIX = "_prefetched"


def prefetched(lookup: str, queryset=None) -> Prefetch:
    """Prefetch the to-many relation ``lookup`` into a plain list, ``<lookup>_prefetched``.

    A ``Prefetch`` into the relation's manager costs a cloned and filtered queryset per
    record and relation (Django's ``_apply_rel_filters``): for a page of 50 pairings, more
    CPU than fetching and serializing them. A list costs nothing; the nested serializers
    read it when it is there and the relation otherwise.
    """
    return Prefetch(lookup, queryset=queryset, to_attr=lookup + PREFETCHED_SUFFIX)


def forget_prefetched(instance) -> None:
    """Drop what was prefetched for ``instance``, so that a response after a write shows the
    relations as saved."""
    instance._prefetched_objects_cache = {}
    for name in [name for name in vars(instance) if name.endswith(PREFETCHED_SUFFIX)]:
        delattr(instance, name)


def prefetched_list(instance, source_attrs: list[str]) -> list | None:
    """Return the list ``prefetched()`` stored for a one-step ``source``, or None."""
    if len(source_attrs) != 1:
        return None
    return getattr(instance, "__dict__", {}).get(source_attrs[0] + PREFETCHED_SUFFIX)


class PrefetchedListSerializer(serializers.ListSerializer):
    """A nested list that reads the relation's ``prefetched()`` list when there is one."""

    def get_attribute(self, instance):
        items = prefetched_list(instance, self.source_attrs)
        return items if items is not None else super().get_attribute(instance)


class PrefetchedManyRelatedField(ManyRelatedField):
    """``NestedRelatedField(many=True)``: reads the ``prefetched()`` list when there is one."""

    def get_attribute(self, instance):
        items = prefetched_list(instance, self.source_attrs)
        return items if items is not None else super().get_attribute(instance)


class NestedRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation read as ``ref_serializer``'s small object and written as the related id.

    A record is visible only with everything it belongs to, so a reference read is one the
    reader may see; an id written must name a record the writer may see
    (``core.visibility``): another is "does not exist", as its page is a 404.
    """

    def __init__(self, ref_serializer=None, unseen_as_null=False, **kwargs):
        self.ref_serializer = ref_serializer
        # A reference to a record the reader may not see, shown as null (the pairing a
        # partner request became): the viewset reads it through ``visible_to``, and the
        # lean path (``core.api.lean``) asks the same rule per row.
        self.unseen_as_null = unseen_as_null
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset if request is None else visible_to(request.user, queryset)

    @classmethod
    def many_init(cls, *args, **kwargs):
        arguments = {"child_relation": cls(*args, **kwargs)}
        arguments.update({key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS})
        return PrefetchedManyRelatedField(**arguments)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return self.reference.to_representation(value)

    @property
    def reference(self):
        """Return one ``ref_serializer`` for the whole response (not one per record: building
        a serializer, e.g. a city's 250 country choices, cost more than the data)."""
        reference = getattr(self, "_reference", None)
        if reference is None:
            reference = self._reference = self.ref_serializer(context=self.context)
        return reference


def origin_of(request) -> str:
    """Return ``https://host`` of ``request`` (empty without one: paths stay relative)."""
    return request.build_absolute_uri("/")[:-1] if request else ""


PLACEHOLDER = "00000"


class URLTemplate:
    """The URL of a route for any value of its one argument, reversed once.

    ``URLTemplate("api:pairing-detail", "pk", origin)(7)`` is ``origin/api/v1/pairings/7/``.
    """

    def __init__(self, view_name: str, kwarg: str, origin: str = ""):
        path = reverse(view_name, kwargs={kwarg: PLACEHOLDER})
        self.head, _, self.tail = (origin + path).rpartition(PLACEHOLDER)

    def __call__(self, value) -> str:
        return f"{self.head}{value}{self.tail}"


def field_url_template(field: serializers.Field, view_name: str, kwarg: str) -> URLTemplate:
    """Return ``field``'s ``URLTemplate``, made on its first record of the response."""
    template = field.__dict__.get("_url_template")
    if template is None:
        origin = origin_of(field.context.get("request"))
        template = field._url_template = URLTemplate(view_name, kwarg, origin)
    return template


class RecordURLField(serializers.HyperlinkedIdentityField):
    """The record's API address, without the ``?format=`` of the request that listed it.

    The route is reversed once per response; each record's id is put into it.
    """

    def get_url(self, obj, view_name, request, format):
        return field_url_template(self, view_name, self.lookup_url_kwarg)(obj.pk)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class WebURLField(serializers.Field):
    """The record's page on the registry's website, or null while it has none.

    ``WebURLField("cities:city_detail", "slug")`` reverses the page's route once per
    response and puts each record's slug into it (the same URL as the model's
    ``get_absolute_url()``, which would reverse it again for every record).
    """

    def __init__(self, route: str, kwarg: str = "pk", **kwargs):
        self.route, self.kwarg = route, kwarg
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.kwarg)
        if value in (None, ""):
            return None
        return field_url_template(self, self.route, self.kwarg)(value)


class RefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A small read-only object embedded in other records (a city, a network…)."""


class RegistryModelSerializer(
    FastRepresentationMixin, RejectUnknownFieldsMixin, serializers.ModelSerializer
):
    """A model serializer whose writes accept exactly what the admin and forms accept."""

    def get_validators(self):
        # Uniqueness and constraints are checked by the model's full_clean() in validate(),
        # with the model's own messages; DRF's copies would only repeat them.
        return []

    def model_attrs(self, attrs: dict) -> tuple[dict, dict]:
        """Split validated ``attrs`` into model fields and many-to-many values."""
        opts = self.Meta.model._meta
        fields, many = {}, {}
        for name, value in attrs.items():
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many and not field.auto_created:
                many[name] = value
            elif field.concrete:
                fields[name] = value
        return fields, many

    def build_instance(self, fields: dict):
        """Return an unsaved instance with ``fields`` applied (a copy when updating)."""
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in fields.items():
            setattr(instance, name, value)
        return instance

    def validate(self, attrs):
        attrs = super().validate(attrs)
        fields, many = self.model_attrs(attrs)
        instance = self.build_instance(fields)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise django_errors_to_drf(error) from error
        self._checked_instance, self._many = instance, many
        return attrs

    @transaction.atomic
    def save_checked(self):
        """Save the instance ``validate()`` checked, then its many-to-many relations."""
        instance = self._checked_instance
        try:
            instance.save()
            for name, value in self._many.items():
                getattr(instance, name).set(value)
            # Relations prefetched for the old state would be shown in the response.
            forget_prefetched(instance)
        except DjangoValidationError as error:
            raise django_errors_to_drf(error) from error
        return instance

    def changes_anything(self) -> bool:
        """Return True if saving would change the record (call after ``is_valid()``).

        Read-only fields a client sends back are ignored before this, so a client can PUT
        what it read: that changes nothing and writes nothing.
        """
        if self.instance is None:
            return True
        return bool(changed_fields(self._checked_instance, self.instance, self._many))

    def create(self, validated_data):
        return self.save_checked()

    def update(self, instance, validated_data):
        return self.save_checked()


class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence, and for invalid input the messages per field."""

    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Invalid input only: the messages for each field, usually a list of "
        "strings; for a list of nested items, one object of messages per item.",
    )
