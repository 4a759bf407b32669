"""API viewsets for networks, memberships, programmes, thematic streams and pairings."""

from rest_framework import renderers

from citypairing.api.renderers import CSVRenderer, GeoJSONRenderer
from citypairing.api.serializers import prefetched
from citypairing.api.views import RegistryViewSet
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


class NetworkViewSet(RegistryViewSet):
    queryset = Network.objects.select_related("parent", "city").prefetch_related(
        citations_prefetch()
    )
    serializer_class = NetworkSerializer
    filterset_class = NetworkFilterSet


class MembershipViewSet(RegistryViewSet):
    queryset = Membership.objects.select_related(
        "network", "city", "member_network"
    ).prefetch_related(citations_prefetch())
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet


class ProgrammeViewSet(RegistryViewSet):
    queryset = Programme.objects.prefetch_related(
        prefetched(
            "programme_networks",
            ProgrammeNetwork.objects.select_related("network").order_by("role", "id"),
        ),
        citations_prefetch(),
    )
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    def published(self, queryset):
        return queryset.published()


class ThematicStreamViewSet(RegistryViewSet):
    queryset = ThematicStream.objects.select_related("programme").prefetch_related(
        "priorities",
        prefetched("members", StreamMember.objects.select_related("city", "network")),
        citations_prefetch(),
    )
    serializer_class = ThematicStreamSerializer
    filterset_class = ThematicStreamFilterSet

    def published(self, queryset):
        return queryset.filter(programme__is_published=True)


class PairingViewSet(RegistryViewSet):
    queryset = Pairing.objects.select_related("programme", "stream__programme").prefetch_related(
        prefetched(
            "participants",
            PairingParticipant.objects.select_related("city").order_by("role", "city__name"),
        ),
        prefetched("status_changes"),
        citations_prefetch(),
    )
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, GeoJSONRenderer]

    def published(self, queryset):
        return queryset.published()
