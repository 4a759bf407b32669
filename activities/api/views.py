"""API viewsets for activities."""

from activities.api.renderers import ICalendarRenderer
from activities.api.serializers import ActivitySerializer
from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from core.api.jsonrenderer import FastJSONRenderer
from core.api.renderers import CSVRenderer, XLSXRenderer
from core.api.serializers import prefetched
from core.api.views import RegistryViewSet
from sources.api.serializers import citations_prefetch
from themes.api import themes_prefetch


class ActivityViewSet(RegistryViewSet):
    queryset = Activity.objects.select_related(
        "programme", "stream__programme", "pairing__programme", "location_city"
    ).prefetch_related(
        prefetched("cities"), prefetched("organisers"), citations_prefetch(), themes_prefetch()
    )
    lean = True  # JSON reads without model instances (core.api.lean)
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    renderer_classes = [FastJSONRenderer, CSVRenderer, XLSXRenderer, ICalendarRenderer]
