"""Partners in the API: the seeking-partners board and partner suggestions.

- ``/api/v1/partner-requests/``: the board's requests (``PartnerRequestViewSet``), with
  their suggestions at ``/api/v1/partner-requests/{id}/suggestions/``.
- ``/api/v1/cities/{id}/partner-suggestions/``: cities sit below partners, so the cities
  API does not know this action: the partners app adds it to ``CityViewSet`` with
  ``register_city_actions`` (``PartnersConfig.ready``).
"""

from django import forms
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from cities.models import City
from core.api.views import RegistryViewSet
from core.visibility import visible_to
from partners.api.serializers import (
    PartnerRequestSerializer,
    PartnerSuggestionsSerializer,
    RequestSuggestionsSerializer,
    suggestions_payload,
)
from partners.filtersets import PartnerRequestFilterSet
from partners.forms import PartnerSearchForm
from partners.models import PartnerRequest
from partners.ranking import (
    current_partners,
    request_partners,
    request_suggestions,
    suggest_partners,
)
from programmes.models import Pairing
from themes.api import themes_prefetch

MAX_SUGGESTIONS = 100
PARTNER_PARAMETERS = [
    OpenApiParameter(
        "stream",
        OpenApiTypes.STR,
        description="A thematic stream, by id or slug. Give `stream`, `need` or both.",
    ),
    OpenApiParameter(
        "need",
        OpenApiTypes.STR,
        description="What the city needs, in words, e.g. `sponge city flood retention`.",
    ),
    OpenApiParameter(
        "exclude_same_country", OpenApiTypes.BOOL, description="Leave out the city's country."
    ),
    OpenApiParameter(
        "region",
        OpenApiTypes.STR,
        enum=["neighbours", "continent"],
        description="Only the same or neighbouring countries, or the same continent "
        "(as GeoNames records them).",
    ),
    OpenApiParameter(
        "country",
        {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
        description="Only these countries (ISO 3166 codes); repeat for several.",
        explode=True,
    ),
    OpenApiParameter("min_distance_km", OpenApiTypes.INT, description="At least this far."),
    OpenApiParameter("max_distance_km", OpenApiTypes.INT, description="At most this far."),
    OpenApiParameter("min_population", OpenApiTypes.INT, description="Population from."),
    OpenApiParameter("max_population", OpenApiTypes.INT, description="Population up to."),
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description=f"How many candidates, 1 to {MAX_SUGGESTIONS}."
    ),
]


LIMIT_FIELD = forms.IntegerField(
    min_value=1,
    max_value=MAX_SUGGESTIONS,
    required=False,
    error_messages={"invalid": "Give the number of candidates as a whole number."},
)


def limit_of(request, default: int = 20) -> int:
    """Return ``?limit=`` (1 to ``MAX_SUGGESTIONS``), or raise a 400 that says why."""
    try:
        return LIMIT_FIELD.clean(request.query_params.get("limit")) or default
    except forms.ValidationError as error:
        raise ValidationError({"limit": error.messages}) from error


def form_errors(form) -> dict:
    return {
        ("non_field_errors" if name == "__all__" else name): messages
        for name, messages in form.errors.items()
    }


@extend_schema(
    summary="Partner suggestions for a city",
    description=(
        "Candidate partner cities for this city on a thematic stream and/or a need in "
        "words, best first, each with its reasons in words: experience in the stream "
        "or theme (pairings, activities), the city's priorities against the "
        "candidate's activities, shared network memberships, and distance. Only "
        "pairings and activities the caller may see count as evidence. The cities "
        "already paired with this city in the programme of the theme are its partners: "
        "listed apart in `partners`, never among the results."
    ),
    parameters=PARTNER_PARAMETERS,
    responses={200: PartnerSuggestionsSerializer},
)
@action(
    detail=True,
    methods=["get"],
    url_path="partner-suggestions",
    url_name="partner-suggestions",
    renderer_classes=[renderers.JSONRenderer],
    filter_backends=[],
    pagination_class=None,
)
def partner_suggestions(self, request, pk=None):
    """Answer a city's partner suggestions (the action of ``CityViewSet``)."""
    # Any city may be asked about: its names and citations are not shown.
    city = get_object_or_404(City.objects.all(), pk=pk)
    self.check_object_permissions(request, city)
    form = PartnerSearchForm(request.query_params, user=request.user)
    errors = {} if form.is_valid() else form_errors(form)
    try:
        limit = LIMIT_FIELD.clean(request.query_params.get("limit")) or 20
    except forms.ValidationError as error:
        errors["limit"] = error.messages
    if errors:
        raise ValidationError(errors)
    data = form.cleaned_data
    theme = {
        "city": city,
        "stream": data["stream"],
        "need": data["need"],
        "visible": lambda queryset: visible_to(request.user, queryset),
    }
    payload = suggestions_payload(
        city=city,
        stream=data["stream"],
        need=data["need"],
        suggestions=suggest_partners(**theme, filters=form.filters(), limit=limit),
        partners=current_partners(**theme),
        request=request,
    )
    return Response(PartnerSuggestionsSerializer(payload, context={"request": request}).data)


def register_city_actions(viewset) -> None:
    """Give the cities' viewset ``viewset`` the partner suggestions action.

    Call it before the router builds its routes (they list each viewset's actions).
    """
    viewset.partner_suggestions = partner_suggestions


class PartnerRequestViewSet(RegistryViewSet):
    """The seeking-partners board: a city's need, posted by an officer."""

    lean = True  # JSON reads without model instances (core.api.lean)

    queryset = PartnerRequest.objects.select_related(
        "city", "programme", "stream__programme"
    ).prefetch_related(themes_prefetch())
    serializer_class = PartnerRequestSerializer
    filterset_class = PartnerRequestFilterSet

    def get_queryset(self):
        # The pairing a request became, only when the reader may see it (null otherwise).
        visible_pairings = Pairing.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("pairing", visible_pairings))

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self.hide_unseen_pairing(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self.hide_unseen_pairing(serializer.instance)

    def hide_unseen_pairing(self, partner_request) -> None:
        """Answer a write with the pairing as a read would: null if the writer may not see it."""
        pairings = Pairing.objects.visible_to(self.request.user)
        if (
            partner_request.pairing_id
            and not pairings.filter(pk=partner_request.pairing_id).exists()
        ):
            partner_request.pairing = None

    @extend_schema(
        summary="Partner suggestions for a request",
        description=(
            "Candidate partner cities for the request's city, on its stream, need, themes "
            "and kind of partner, best first, each with its reasons in words; cities of "
            "the request's preferred countries first (from anywhere when none fits: "
            "`widened`). Only pairings and activities the caller may see count as "
            "evidence; the city's current partners are listed apart in `partners`."
        ),
        parameters=[PARTNER_PARAMETERS[-1]],
        responses={200: RequestSuggestionsSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def suggestions(self, request, *args, **kwargs):
        partner_request = self.get_object()
        limit = limit_of(request)
        visible = lambda queryset: visible_to(request.user, queryset)  # noqa: E731
        found, widened = request_suggestions(partner_request, visible=visible, limit=limit)
        payload = suggestions_payload(
            city=partner_request.city,
            stream=partner_request.stream,
            need=partner_request.theme,
            suggestions=found,
            partners=request_partners(partner_request, visible=visible),
            request=request,
        )
        payload["widened"] = widened
        return Response(RequestSuggestionsSerializer(payload, context={"request": request}).data)
