"""API viewsets for networks, memberships, programmes, thematic streams and pairings."""

from collections import defaultdict

from django.db.models import FloatField
from django.db.models.functions import Cast

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
from programmes.api.serializers import (
    MembershipSerializer,
    NetworkSerializer,
    PairingSerializer,
    ProgrammeSerializer,
    ThematicStreamSerializer,
)
from programmes.filtersets import (
    MembershipFilterSet,
    NetworkFilterSet,
    PairingFilterSet,
    ProgrammeFilterSet,
    ThematicStreamFilterSet,
)
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    ThematicStream,
)
from sources.api.serializers import citations_prefetch
from themes.api import themes_prefetch


class NetworkViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = Network.objects.select_related("parent", "city").prefetch_related(
        citations_prefetch()
    )
    serializer_class = NetworkSerializer
    filterset_class = NetworkFilterSet


class MembershipViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = Membership.objects.select_related(
        "network", "city", "member_network"
    ).prefetch_related(citations_prefetch())
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet


class ProgrammeViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = Programme.objects.prefetch_related(
        prefetched(
            "programme_networks",
            ProgrammeNetwork.objects.select_related("network").order_by("role", "id"),
        ),
        citations_prefetch(),
    )
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet


class ThematicStreamViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = ThematicStream.objects.select_related("programme").prefetch_related(
        "priorities",
        prefetched("members", StreamMember.objects.with_member()),
        citations_prefetch(),
        themes_prefetch(),
    )
    serializer_class = ThematicStreamSerializer
    filterset_class = ThematicStreamFilterSet


class PairingViewSet(RegistryViewSet):
    queryset = Pairing.objects.select_related("programme", "stream__programme").prefetch_related(
        prefetched(
            "participants",
            PairingParticipant.objects.select_related("city").order_by("role", "city__name"),
        ),
        prefetched("status_changes"),
        citations_prefetch(),
        themes_prefetch(),
    )
    lean = True  # JSON reads without model instances (core.api.lean)
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    renderer_classes = [FastJSONRenderer, CSVRenderer, XLSXRenderer, GeoJSONRenderer]

    def geojson(self, queryset) -> dict:
        """Each pairing as lines between its located cities (fewer than two: left out).

        Two cities make a LineString; more make a MultiLineString from the hub (the pilot,
        mentor or chair city, else the first) to each other city. Two lean queries: the
        pairings' few fields, then their located participants.
        """
        pairings = self.export_rows(
            queryset.prefetch_related(None).values("id", "title", "status", "programme__name")
        )
        # The participants of the same filtered pairings, by subquery, unordered, with
        # coordinates as floats: a list of 24,000 ids, sorting 50,000 rows in SQL, or as
        # many Decimals cost seconds on a whole programme. Each pairing's few are sorted here.
        participants = (
            PairingParticipant.objects.filter(pairing__in=queryset.order_by().values("id"))
            .exclude(city__latitude=None)
            .exclude(city__longitude=None)
            .order_by()
            .values_list(
                "pairing_id",
                "role",
                "city__name",
                Cast("city__longitude", FloatField()),
                Cast("city__latitude", FloatField()),
            )
        )
        points = defaultdict(list)
        for pairing_id, role, name, longitude, latitude in participants:
            points[pairing_id].append((role, name, [longitude, latitude]))
        api_url, web_url = self.record_urls("programmes:pairing_detail")
        return feature_collection(
            pairing_feature(pairing, points[pairing["id"]], api_url, web_url)
            for pairing in pairings
        )


HUB_ROLES = ("pilot", "mentor", "chair")


def pairing_feature(pairing: dict, points: list, api_url, web_url) -> dict | None:
    """Return one pairing's GeoJSON feature from its ``(role, city name, [lon, lat])``
    points, in any order."""
    if len(points) < 2:
        return None
    points = [(role, point) for role, _name, point in sorted(points, key=lambda p: p[:2])]
    hub = next((point for point in points if point[0] in HUB_ROLES), points[0])
    others = [point[1] for point in points if point is not hub]
    if len(others) == 1:
        geometry = {"type": "LineString", "coordinates": [hub[1], others[0]]}
    else:
        geometry = {
            "type": "MultiLineString",
            "coordinates": [[hub[1], other] for other in others],
        }
    return feature(
        pairing["id"],
        geometry,
        title=pairing["title"],
        status=pairing["status"],
        programme=pairing["programme__name"],
        url=api_url(pairing["id"]),
        web_url=web_url(pairing["id"]),
    )
