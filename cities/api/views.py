"""API viewsets for cities."""

from rest_framework import renderers

from cities.api.serializers import CitySerializer
from cities.filtersets import CityFilterSet
from cities.models import City
from citypairing.api.renderers import CSVRenderer, GeoJSONRenderer
from citypairing.api.views import RegistryViewSet
from sources.api.serializers import citations_prefetch


class CityViewSet(RegistryViewSet):
    queryset = City.objects.prefetch_related("alternative_names", citations_prefetch())
    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, GeoJSONRenderer]
