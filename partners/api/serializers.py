"""Partner requests and partner suggestions in the API: the board's requests, and a
city's (or a request's) candidate partners with the reasons."""

from rest_framework import serializers

from cities.api.serializers import CityRefSerializer, CountryCodeMixin
from core.api.serializers import (
    NestedRelatedField,
    RecordURLField,
    RegistryModelSerializer,
    WebURLField,
)
from partners.models import PartnerRequest
from programmes.api.serializers import (
    PairingRefSerializer,
    ThematicStreamRefSerializer,
    city_field,
    programme_field,
    stream_field,
)
from programmes.choices import ParticipantRole
from themes.api import themes_field


class PartnerRequestSerializer(CountryCodeMixin, RegistryModelSerializer):
    """A post on the seeking-partners board; who posted it is the writer, kept, not shown."""

    url = RecordURLField(view_name="api:partner-request-detail")
    web_url = WebURLField("partners:partner_request_detail")
    city = city_field()
    programme = programme_field(
        required=False,
        allow_null=True,
        help_text="The programme that would run the pairing; the stream's when only a "
        "stream is given.",
    )
    stream = stream_field(required=False, allow_null=True)
    themes = themes_field()
    pairing = NestedRelatedField(
        PairingRefSerializer,
        unseen_as_null=True,
        read_only=True,
        allow_null=True,
        help_text="The pairing the request became (null while open, or when you may not "
        "see that pairing).",
    )

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "url",
            "web_url",
            "city",
            "theme",
            "themes",
            "programme",
            "stream",
            "partner_kind",
            "preferred_countries",
            "deadline",
            "description",
            "status",
            "pairing",
            "created",
            "modified",
        ]
        extra_kwargs = {
            "preferred_countries": {
                "required": False,
                "help_text": "ISO 3166 codes of the countries partners are sought in first.",
            }
        }

    def build_instance(self, fields: dict):
        instance = super().build_instance(fields)
        # A stream alone names its programme, as on the page's form.
        if instance.stream_id and instance.programme_id is None:
            instance.programme = instance.stream.programme
        request = self.context.get("request")
        if self.instance is None and request is not None and request.user.is_authenticated:
            instance.created_by = request.user
        return instance


class PartnerSuggestionSerializer(serializers.Serializer):
    """One candidate partner city, its score and why, in words."""

    rank = serializers.IntegerField(help_text="1 for the best candidate.")
    city = CityRefSerializer()
    web_url = serializers.CharField(help_text="The candidate city's page on the registry.")
    score = serializers.FloatField(help_text="Points from the evidence: higher ranks first.")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="Each piece of evidence in words, a role in its own name, e.g. "
        "“partner city in 1 “Waste…” pairing”.",
    )
    explanation = serializers.CharField(help_text="The reasons joined with “; ”.")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Great-circle distance; null when a city has no coordinates."
    )


class SharedPairingSerializer(serializers.Serializer):
    """A pairing the city and its partner share, and the partner's role in it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    web_url = serializers.CharField(help_text="The pairing's page on the registry.")
    role = serializers.ChoiceField(
        choices=ParticipantRole.choices, help_text="The partner city's role in the pairing."
    )


class CurrentPartnerSerializer(serializers.Serializer):
    """A city already paired with the city in the programme of the theme (not a candidate)."""

    city = CityRefSerializer()
    web_url = serializers.CharField(help_text="The partner city's page on the registry.")
    pairings = SharedPairingSerializer(many=True)
    explanation = serializers.CharField(
        help_text="The shared pairings in words, e.g. “partner city in “Waste…””."
    )
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Great-circle distance; null when a city has no coordinates."
    )


class PartnerSuggestionsSerializer(serializers.Serializer):
    """The answer: what was asked for, the ranked candidates, and the city's partners."""

    city = CityRefSerializer()
    stream = ThematicStreamRefSerializer(allow_null=True)
    need = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    results = PartnerSuggestionSerializer(many=True)
    partners = CurrentPartnerSerializer(
        many=True,
        help_text="The cities already paired with this city in the programme of the theme "
        "(the stream's, or of the streams the need matches), by name: its partners, never "
        "among the results.",
    )


class RequestSuggestionsSerializer(PartnerSuggestionsSerializer):
    """A request's suggestions: as a city's, its preferred countries first."""

    widened = serializers.BooleanField(
        help_text="True when no city of the request's preferred countries fits, so the "
        "candidates come from anywhere."
    )


def _distance(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def suggestions_payload(*, city, stream, need, suggestions, partners, request) -> dict:
    """Return the data ``PartnerSuggestionsSerializer`` renders."""
    return {
        "city": city,
        "stream": stream,
        "need": need,
        "count": len(suggestions),
        "results": [
            {
                "rank": rank,
                "city": suggestion.city,
                "web_url": request.build_absolute_uri(suggestion.city.get_absolute_url()),
                "score": round(suggestion.score, 2),
                "reasons": suggestion.reasons,
                "explanation": suggestion.explanation,
                "distance_km": _distance(suggestion.distance_km),
            }
            for rank, suggestion in enumerate(suggestions, start=1)
        ],
        "partners": [
            {
                "city": partner.city,
                "web_url": request.build_absolute_uri(partner.city.get_absolute_url()),
                "pairings": [
                    {
                        "id": shared.pairing.pk,
                        "title": shared.pairing.title,
                        "web_url": request.build_absolute_uri(shared.pairing.get_absolute_url()),
                        "role": shared.role,
                    }
                    for shared in partner.pairings
                ],
                "explanation": partner.explanation,
                "distance_km": _distance(partner.distance_km),
            }
            for partner in partners
        ],
    }
