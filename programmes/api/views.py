"""API viewsets for networks, memberships, programmes, thematic streams and pairings."""

from cities.models import City
from core.api.jsonrenderer import FastJSONRenderer
from core.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    XLSXRenderer,
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
        mentor or chair city, else the first by role and name) to each other city, in that
        order. PostgreSQL writes the features' JSON text (``PAIRING_LINES``): built
        feature by feature in Python, a programme of 900 pairings took 50 ms.
        """
        chosen = queryset.prefetch_related(None).values("id", "title", "status", "programme__name")
        return self.written_features(
            chosen,
            PAIRING_FEATURE,
            self.record_urls("programmes:pairing_detail"),
            PAIRING_LINES,
            rows="lines",
            step_params=[list(HUB_ROLES)],
        )


HUB_ROLES = ("pilot", "mentor", "chair")


# A pairing's points are its located cities sorted by role and name (by code point:
# COLLATE "C", as Python sorts); its hub is the first of them with a hub role, else the
# first; its line joins the hub to each other point, in that order.
BY_NAME = 'part.role COLLATE "C", city.name COLLATE "C", city.id'
PAIRING_LINES = f""",
        ranked AS (
            SELECT c.n, c.id, c.title, c.status, c.programme__name,
                json_build_array(city.longitude::float8, city.latitude::float8) AS point,
                row_number() OVER (PARTITION BY c.id ORDER BY {BY_NAME}) AS k,
                row_number() OVER (
                    PARTITION BY c.id ORDER BY part.role = ANY(%s) DESC, {BY_NAME}
                ) AS h
            FROM chosen c
                JOIN {PairingParticipant._meta.db_table} part ON part.pairing_id = c.id
                JOIN {City._meta.db_table} city ON city.id = part.city_id
            WHERE city.latitude IS NOT NULL AND city.longitude IS NOT NULL
        ),
        hubbed AS (
            SELECT ranked.*, first_value(point) OVER (PARTITION BY id ORDER BY h) AS hub
            FROM ranked
        ),
        lines AS (
            SELECT n, id, title, status, programme__name, count(*) AS others,
                json_agg(json_build_array(hub, point) ORDER BY k) AS pairs
            FROM hubbed WHERE h > 1
            GROUP BY n, id, title, status, programme__name
        )"""
PAIRING_FEATURE = """json_build_object(
    'type', 'Feature',
    'id', id,
    'geometry', CASE WHEN others = 1
        THEN json_build_object('type', 'LineString', 'coordinates', pairs -> 0)
        ELSE json_build_object('type', 'MultiLineString', 'coordinates', pairs)
        END,
    'properties', json_build_object(
        'id', id,
        'title', title,
        'status', status,
        'programme', programme__name,
        'url', %s || id || %s,
        'web_url', %s || id || %s))"""
