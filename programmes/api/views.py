"""API viewsets for networks, memberships, programmes, thematic streams and pairings."""

import orjson
from django.db import connections

from cities.models import City
from core.api.jsonrenderer import FastJSONRenderer
from core.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    XLSXRenderer,
    features_statement,
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
        order. PostgreSQL writes the features' JSON text (``pairing_features``): built
        feature by feature in Python, a programme of 900 pairings took 50 ms.
        """
        api_url, web_url = self.record_urls("programmes:pairing_detail")
        queryset = queryset.prefetch_related(None)
        features, count = pairing_features(queryset, self.rows_limit, api_url, web_url)
        if count > self.rows_limit:
            self.refuse_too_many()
        return {"type": "FeatureCollection", "features": orjson.Fragment(features)}


HUB_ROLES = ("pilot", "mentor", "chair")


def pairing_features(pairings, limit: int, api_url, web_url) -> tuple[str, int]:
    """Return the JSON text of the ``pairings``' GeoJSON features, in their order, and how
    many pairings there are (counted up to ``limit`` + 1).

    A pairing's points are its located cities sorted by role and name (by code point:
    COLLATE "C"); its hub is the first of them with a hub role, else the first.
    """
    chosen, params = pairings.values(
        "id", "title", "status", "programme__name"
    ).query.sql_with_params()
    participants = PairingParticipant._meta.db_table
    cities = City._meta.db_table
    by_name = 'part.role COLLATE "C", city.name COLLATE "C", city.id'
    steps = f""",
        ranked AS (
            SELECT c.n, c.id, c.title, c.status, c.programme__name,
                json_build_array(city.longitude::float8, city.latitude::float8) AS point,
                row_number() OVER (PARTITION BY c.id ORDER BY {by_name}) AS k,
                row_number() OVER (
                    PARTITION BY c.id ORDER BY part.role = ANY(%s) DESC, {by_name}
                ) AS h
            FROM chosen c
                JOIN {participants} part ON part.pairing_id = c.id
                JOIN {cities} city ON city.id = part.city_id
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
    feature = """json_build_object(
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
    sql = features_statement(chosen, feature, steps, rows="lines")
    urls = (api_url.head, api_url.tail, web_url.head, web_url.tail)
    with connections[pairings.db].cursor() as cursor:
        cursor.execute(sql, (*params, limit + 1, list(HUB_ROLES), *urls))
        return cursor.fetchone()
