"""API viewsets for cities."""

from cities.api.serializers import CitySerializer
from cities.filtersets import CityFilterSet
from cities.models import City
from core.api.jsonrenderer import FastJSONRenderer
from core.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    XLSXRenderer,
    feature,
    feature_collection,
)
from core.api.serializers import prefetched
from core.api.views import RegistryViewSet
from sources.api.serializers import citations_prefetch


class CityViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = City.objects.prefetch_related(prefetched("alternative_names"), citations_prefetch())
    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    renderer_classes = [FastJSONRenderer, CSVRenderer, XLSXRenderer, GeoJSONRenderer]

    def geojson(self, queryset) -> dict:
        """Each city with coordinates as a Point, from one lean query."""
        cities = self.export_rows(
            queryset.prefetch_related(None)
            .exclude(latitude=None)
            .exclude(longitude=None)
            .with_local_names()
            .values(
                "id",
                "name",
                "slug",
                "country",
                "latitude",
                "longitude",
                "local_name",
                "local_language",
            )
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
                local_name=city["local_name"],
                local_language=city["local_language"],
                slug=city["slug"],
                country=city["country"],
                url=api_url(city["id"]),
                web_url=web_url(city["slug"]),
            )
            for city in cities
        )
