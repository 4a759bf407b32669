"""API viewsets for sources."""

from core.api.views import RegistryViewSet
from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source
from themes.api import themes_prefetch


class SourceViewSet(RegistryViewSet):
    queryset = Source.objects.prefetch_related(themes_prefetch())
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
