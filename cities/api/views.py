"""API viewsets for cities."""

from cities.api.serializers import CitySerializer
from cities.filtersets import CityFilterSet
from cities.models import City
from core.api.jsonrenderer import FastJSONRenderer
from core.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    XLSXRenderer,
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
        """Each city with coordinates as a Point, written by PostgreSQL (one statement)."""
        chosen = (
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
        feature = """json_build_object(
            'type', 'Feature',
            'id', id,
            'geometry', json_build_object(
                'type', 'Point',
                'coordinates', json_build_array(longitude::float8, latitude::float8)),
            'properties', json_build_object(
                'id', id,
                'name', name,
                'local_name', local_name,
                'local_language', local_language,
                'slug', slug,
                'country', country,
                'url', %s || id || %s,
                'web_url', %s || slug || %s))"""
        return self.written_features(
            chosen, feature, self.record_urls("cities:city_detail", "slug")
        )
