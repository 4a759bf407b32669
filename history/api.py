"""Change history in the API: one record's history, and the registry-wide change feed.

- ``GET /api/v1/<resource>/{id}/history/``: the record's changes (and its parts', e.g. a
  pairing's participants), newest first, for whoever may read the record (``history``,
  added to every resource's viewset by ``HistoryConfig.ready()``).
- ``GET /api/v1/changes/?since=<ISO time>&model=<app.model>``: every change in the
  registry, newest first, paginated. Signed-in users only; each user sees the changes of
  the records they may read (see ``FEED_PARTS``); admins see everything.
"""

from collections.abc import Sequence

from django import forms
from django.apps import apps
from django.db.models import Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, renderers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from core.api.pagination import HistoryPagination
from core.filtersets import UTCIsoDateTimeField
from core.history import event_models_of
from core.visibility import visible_to
from history.reading import describe, record_events, tracked_models


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The stored column, e.g. `title`, `programme_id`.")
    label = serializers.CharField(help_text="The field's name for people.")
    before = serializers.JSONField(allow_null=True, help_text="The stored value before.")
    after = serializers.JSONField(allow_null=True, help_text="The stored value after.")
    before_display = serializers.CharField(help_text="The value before, for people.")
    after_display = serializers.CharField(help_text="The value after, for people.")


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.CharField(source="event.pgh_slug", help_text="The event's identifier.")
    at = serializers.DateTimeField(help_text="When the change was saved.")
    event = serializers.ChoiceField(
        source="event.pgh_label",
        choices=["insert", "update", "delete"],
        help_text="What happened to the row.",
    )
    model = serializers.CharField(source="event.pgh_obj_model", help_text="`app.Model`.")
    object_id = serializers.CharField(source="event.pgh_obj_id", allow_null=True)
    is_part = serializers.BooleanField(
        help_text="True for a part of the record (a pairing's participant, a city's name)."
    )
    subject = serializers.CharField(help_text="What changed, e.g. “Participant: Wichit”.")
    action = serializers.CharField(help_text="created, changed, deleted, added or removed.")
    user = serializers.CharField(
        source="user.get_username", allow_null=True, default=None, help_text="Who, if a user."
    )
    who = serializers.CharField(help_text="The user's name, or “system” for commands.")
    channel = serializers.CharField(help_text="web, api, admin, command, or unknown.")
    command = serializers.CharField(
        source="context.command", allow_null=True, default=None, help_text="The command."
    )
    changes = ChangeSerializer(many=True)


# Parts whose changes a reader sees in the feed when they may read the record they
# belong to: model label → (column holding the record's id, the record's model label).
FEED_PARTS = {
    "programmes.PairingParticipant": ("pairing_id", "programmes.Pairing"),
    "programmes.PairingStatusChange": ("pairing_id", "programmes.Pairing"),
    "programmes.ProgrammeNetwork": ("programme_id", "programmes.Programme"),
    "programmes.StreamPriority": ("stream_id", "programmes.ThematicStream"),
    "programmes.StreamMember": ("stream_id", "programmes.ThematicStream"),
    "activities.Activity_cities": ("activity_id", "activities.Activity"),
    "activities.Activity_organisers": ("activity_id", "activities.Activity"),
    # Which themes a record carries: shown with the record.
    "programmes.ThematicStream_themes": ("thematicstream_id", "programmes.ThematicStream"),
    "programmes.Pairing_themes": ("pairing_id", "programmes.Pairing"),
    "activities.Activity_themes": ("activity_id", "activities.Activity"),
    "partners.PartnerRequest_themes": ("partnerrequest_id", "partners.PartnerRequest"),
    "sources.Source_themes": ("source_id", "sources.Source"),
}
# Models that moved to another app: the label clients used before still names them.
MOVED_LABELS = {"programmes.partnerrequest": "partners.partnerrequest"}
# Models public to every signed-in user (no unpublished state).
FEED_PUBLIC = {
    "cities.City",
    "cities.CityAlternativeName",
    "programmes.Network",
    "programmes.Membership",
    "themes.Theme",
}
# Records with an unpublished state: a reader sees the events of those they may read.
FEED_RESTRICTED = {
    "programmes.Programme",
    "programmes.ThematicStream",
    "programmes.Pairing",
    "activities.Activity",
    "partners.PartnerRequest",
    # A source is private to its programme's officers until published (intake); a
    # citation shows while its source and its record do.
    "sources.Source",
    "sources.Citation",
    # Personal data: officers of the networks involved and admins only; a role shows to
    # those who see it (its person, its record, within their reach), not to all who see
    # its person.
    "contacts.Person",
    "contacts.ContactRole",
}


def feed_owners() -> dict:
    """Return each part's model label → the model of the record it belongs to."""
    return {label: apps.get_model(owner) for label, (_, owner) in FEED_PARTS.items()}


def visible_ids(user, label: str):
    """Return the ids (as text, like ``pgh_obj_id``) of the records ``user`` may see: a
    subquery, or None when they may see every record of the model."""
    everything = apps.get_model(label)._default_manager.all()
    visible = visible_to(user, everything)
    if visible is everything:
        return None
    return visible.annotate(id_text=Cast("pk", TextField())).values("id_text")


def feed_filter(user, models) -> Q:
    """Return the filter of the events of ``models`` that ``user`` may read.

    A record's events show while the reader may see the record (so none once it is
    deleted); a part's, while they may see the record it belongs to.
    """
    if user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for model in models:
        label = model._meta.label
        if label in FEED_PUBLIC:
            condition |= Q(pgh_obj_model=label)
        elif label in FEED_RESTRICTED:
            ids = visible_ids(user, label)
            restricted = Q() if ids is None else Q(pgh_obj_id__in=ids)
            condition |= Q(pgh_obj_model=label) & restricted
        elif label in FEED_PARTS:
            column, parent = FEED_PARTS[label]
            ids = visible_ids(user, parent)
            restricted = Q() if ids is None else Q(part_of__in=ids)
            condition |= Q(pgh_obj_model=label) & restricted
    return condition


SINCE_INVALID = (
    "Give a date and time between the years 1 and 9999 with an offset of at most 15:59, "
    "e.g. 2026-01-30T00:00Z."
)


class ModelLabels(Sequence):
    """The tracked models' labels (``app.model``), listed when the schema is built (the
    app registry is not ready when this module is imported)."""

    def labels(self) -> list[str]:
        return sorted(model._meta.label_lower for model in tracked_models())

    def __getitem__(self, index):
        return self.labels()[index]

    def __len__(self):
        return len(self.labels())


@extend_schema(
    summary="Change feed",
    description="Every change in the registry, newest first: who, when, through which "
    "channel, and the values before and after. Signed-in users see the changes of the "
    "records they may read; administrators see all.",
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="Only changes at or after this time (ISO 8601).",
        ),
        OpenApiParameter(
            "model",
            OpenApiTypes.STR,
            enum=ModelLabels(),
            description="Only changes of this model, e.g. `programmes.pairing`. Another "
            "value is a 400.",
        ),
    ],
    responses=HistoryEntrySerializer(many=True),
)
class ChangeFeedView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = HistoryPagination
    serializer_class = HistoryEntrySerializer
    filter_backends = []

    def get_models(self):
        label = self.request.query_params.get("model", "").strip()
        models = tracked_models()
        if not label:
            return models
        label = MOVED_LABELS.get(label.lower(), label)
        chosen = [model for model in models if model._meta.label_lower == label.lower()]
        if not chosen:
            names = ", ".join(sorted(m._meta.label_lower for m in models))
            raise ValidationError({"model": [f"Unknown model “{label}”: one of {names}."]})
        return chosen

    def get_queryset(self):
        from pghistory.models import Events

        models = self.get_models()
        event_models = [event for model in models for event in event_models_of(model)]
        queryset = self.with_part_of(Events.objects.across(*event_models), models)
        since = self.request.query_params.get("since", "").strip()
        if since:
            queryset = queryset.filter(pgh_created_at__gte=self.moment(since))
        queryset = queryset.filter(feed_filter(self.request.user, models))
        return queryset.order_by("-pgh_created_at", "-pgh_id", "pgh_model")

    def with_part_of(self, queryset, models):
        """Annotate the id of the record a part belongs to (for the visibility filter)."""
        from django.db.models import Case, When

        whens = [
            When(pgh_obj_model=label, then=KT(f"pgh_data__{column}"))
            for label, (column, _) in FEED_PARTS.items()
            if any(model._meta.label == label for model in models)
        ]
        if not whens:
            return queryset.annotate(part_of=Cast(None, TextField()))
        return queryset.annotate(part_of=Case(*whens, output_field=TextField()))

    @staticmethod
    def moment(since: str):
        """Return ``since`` as a UTC time PostgreSQL can compare, or raise a 400.

        The same field as every list's ``modified_since``: an offset PostgreSQL refuses
        (past ±15:59) or a year out of range is an error before the query, not in it.
        """
        field = UTCIsoDateTimeField()
        # A "+" left unencoded in a query string arrives as a space.
        for text in (since, since.replace(" ", "+")):
            try:
                return field.clean(text)
            except forms.ValidationError:
                continue
        raise ValidationError({"since": [SINCE_INVALID]})

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        entries = describe(page, request.user, owners=feed_owners())
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


@extend_schema(
    summary="History of one record",
    description="Who changed what and when (signed-in users): creation, each change "
    "with its values before and after, and changes of the record's parts (a "
    "pairing's participants, a city's alternative names), newest first.",
    responses=HistoryEntrySerializer(many=True),
    filters=False,
)
@action(
    detail=True,
    methods=["get"],
    permission_classes=[permissions.IsAuthenticated],
    renderer_classes=[renderers.JSONRenderer],
    pagination_class=HistoryPagination,
    filter_backends=[],
)
def history(self, request, *args, **kwargs):
    """Answer a record's history; every resource's viewset has it as its ``history``
    action (``core.api.views.register_record_action``, in ``HistoryConfig.ready()``)."""
    record = self.get_object()
    page = self.paginate_queryset(record_events(record, request.user))
    entries = describe(page, request.user, record=record)
    return self.get_paginated_response(HistoryEntrySerializer(entries, many=True).data)
