"""Partner suggestions in the API: a city, its candidate partners, and the reasons."""

from rest_framework import serializers

from cities.api.serializers import CityRefSerializer
from programmes.api.serializers import ThematicStreamRefSerializer
from programmes.choices import ParticipantRole


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
