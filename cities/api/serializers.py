"""Cities in the API, and the small city object other records embed."""

from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from cities.models import City, CityAlternativeName
from citypairing.api.serializers import RecordURLField, RegistryModelSerializer, WebURLField
from sources.api.serializers import CitationSerializer


class CityRefSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """A city as other records embed it: enough to show and map it."""

    class Meta:
        model = City
        fields = ["id", "name", "slug", "country", "latitude", "longitude"]
        read_only_fields = fields


class CityAlternativeNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityAlternativeName
        fields = ["name", "kind"]
        read_only_fields = fields


class CitySerializer(CountryFieldMixin, RegistryModelSerializer):
    url = RecordURLField(view_name="api:city-detail")
    web_url = WebURLField()
    alternative_names = CityAlternativeNameSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = City
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "slug",
            "country",
            "admin_area",
            "kind",
            "population",
            "latitude",
            "longitude",
            "geonames_id",
            "description",
            "alternative_names",
            "citations",
            "created",
            "modified",
        ]

    @staticmethod
    def geojson_feature(city: dict) -> dict | None:
        """Return a city as a GeoJSON Point feature, or None when it has no coordinates."""
        if city.get("latitude") is None or city.get("longitude") is None:
            return None
        return {
            "type": "Feature",
            "id": city["id"],
            "geometry": {
                "type": "Point",
                "coordinates": [float(city["longitude"]), float(city["latitude"])],
            },
            "properties": {
                "id": city["id"],
                "name": city["name"],
                "slug": city["slug"],
                "country": city["country"],
                "url": city["url"],
                "web_url": city["web_url"],
            },
        }
