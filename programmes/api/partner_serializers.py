"""Partner suggestions in the API: a city, its candidate partners, and the reasons."""

from rest_framework import serializers

from cities.api.serializers import CityRefSerializer
from programmes.api.serializers import ThematicStreamRefSerializer


class PartnerSuggestionSerializer(serializers.Serializer):
    """One candidate partner city, its score and why, in words."""

    rank = serializers.IntegerField(help_text="1 for the best candidate.")
    city = CityRefSerializer()
    web_url = serializers.CharField(help_text="The candidate city's page on the registry.")
    score = serializers.FloatField(help_text="Points from the evidence: higher ranks first.")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="Each piece of evidence in words, e.g. “led 1 “Waste…” pairing”.",
    )
    explanation = serializers.CharField(help_text="The reasons joined with “; ”.")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Great-circle distance; null when a city has no coordinates."
    )


class PartnerSuggestionsSerializer(serializers.Serializer):
    """The answer: what was asked for, and the ranked candidates."""

    city = CityRefSerializer()
    stream = ThematicStreamRefSerializer(allow_null=True)
    need = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    results = PartnerSuggestionSerializer(many=True)


def suggestions_payload(*, city, stream, need, suggestions, request) -> dict:
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
                "distance_km": (
                    None if suggestion.distance_km is None else round(suggestion.distance_km, 1)
                ),
            }
            for rank, suggestion in enumerate(suggestions, start=1)
        ],
    }
