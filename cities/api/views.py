"""API viewsets for cities."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cities.api.serializers import CitySerializer
from cities.filtersets import CityFilterSet
from cities.models import City
from core.api.renderers import CSVRenderer, GeoJSONRenderer, feature, feature_collection
from core.api.serializers import prefetched
from core.api.views import RegistryViewSet
from core.visibility import visible_to
from programmes.api.partner_serializers import PartnerSuggestionsSerializer, suggestions_payload
from programmes.partner_forms import PartnerSearchForm
from programmes.partners import current_partners, suggest_partners
from sources.api.serializers import citations_prefetch

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


def form_errors(form) -> dict:
    return {
        ("non_field_errors" if name == "__all__" else name): messages
        for name, messages in form.errors.items()
    }


class CityViewSet(RegistryViewSet):
    queryset = City.objects.prefetch_related(prefetched("alternative_names"), citations_prefetch())
    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, GeoJSONRenderer]

    def geojson(self, queryset) -> dict:
        """Each city with coordinates as a Point, from one lean query."""
        cities = self.export_rows(
            queryset.prefetch_related(None)
            .exclude(latitude=None)
            .exclude(longitude=None)
            .values("id", "name", "slug", "country", "latitude", "longitude")
        )
        api_url, web_url = self.record_urls("cities:city_detail", "slug")
        return feature_collection(
            feature(
                city["id"],
                {
                    "type": "Point",
                    "coordinates": [float(city["longitude"]), float(city["latitude"])],
                },
                name=city["name"],
                slug=city["slug"],
                country=city["country"],
                url=api_url(city["id"]),
                web_url=web_url(city["slug"]),
            )
            for city in cities
        )

    def get_queryset(self):
        if self.action == "partner_suggestions":
            return City.objects.all()  # the city's names and citations are not shown
        return super().get_queryset()

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
        city = self.get_object()
        form = PartnerSearchForm(request.query_params, user=request.user)
        limit_field = forms.IntegerField(
            min_value=1,
            max_value=MAX_SUGGESTIONS,
            required=False,
            error_messages={"invalid": "Give the number of candidates as a whole number."},
        )
        errors = {} if form.is_valid() else form_errors(form)
        try:
            limit = limit_field.clean(request.query_params.get("limit")) or 20
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
