"""API viewsets for sources."""

from core.api.views import RegistryViewSet
from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source


class SourceViewSet(RegistryViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
