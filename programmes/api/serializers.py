"""Networks, memberships, programmes, thematic streams and pairings in the API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers

from cities.api.serializers import CityRefSerializer
from cities.models import City
from core.api.exceptions import django_errors_to_drf
from core.api.serializers import (
    FastRepresentationMixin,
    NestedRelatedField,
    PrefetchedListSerializer,
    RecordURLField,
    RefSerializer,
    RegistryModelSerializer,
    RejectUnknownFieldsMixin,
    WebURLField,
    forget_prefetched,
)
from programmes import services
from programmes.choices import ParticipantRole
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    PairingStatusChange,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    ThematicStream,
)
from sources.api.serializers import CitationSerializer
from themes.api import themes_field


class NetworkRefSerializer(RefSerializer):
    class Meta:
        model = Network
        fields = ["id", "slug", "name", "acronym"]
        read_only_fields = fields


class ProgrammeRefSerializer(RefSerializer):
    class Meta:
        model = Programme
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class ThematicStreamRefSerializer(RefSerializer):
    class Meta:
        model = ThematicStream
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class PairingRefSerializer(RefSerializer):
    class Meta:
        model = Pairing
        fields = ["id", "title"]
        read_only_fields = fields


def city_field(**kwargs) -> NestedRelatedField:
    return NestedRelatedField(CityRefSerializer, queryset=City.objects.all(), **kwargs)


def network_field(**kwargs) -> NestedRelatedField:
    return NestedRelatedField(NetworkRefSerializer, queryset=Network.objects.all(), **kwargs)


def programme_field(**kwargs) -> NestedRelatedField:
    return NestedRelatedField(
        ProgrammeRefSerializer,
        queryset=Programme.objects.all(),
        **kwargs,
    )


def stream_field(**kwargs) -> NestedRelatedField:
    return NestedRelatedField(
        ThematicStreamRefSerializer,
        queryset=ThematicStream.objects.select_related("programme"),
        **kwargs,
    )


class NetworkSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:network-detail")
    web_url = WebURLField("programmes:network_detail", "slug")
    parent = network_field(required=False, allow_null=True)
    city = city_field(required=False, allow_null=True, help_text="Where the body is based.")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "slug",
            "acronym",
            "kind",
            "parent",
            "city",
            "website",
            "description",
            "citations",
            "created",
            "modified",
        ]


class MembershipSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:membership-detail")
    network = network_field()
    city = city_field(required=False, allow_null=True, help_text="The member, if a city.")
    member_network = network_field(
        required=False, allow_null=True, help_text="The member, if an organisation."
    )
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "network",
            "city",
            "member_network",
            "member_type",
            "regional_group",
            "joined_on",
            "joined_precision",
            "citations",
            "created",
            "modified",
        ]


class ProgrammeNetworkSerializer(RefSerializer):
    network = NetworkRefSerializer(read_only=True)

    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = ProgrammeNetwork
        fields = ["network", "role"]
        read_only_fields = fields


class ProgrammeSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:programme-detail")
    web_url = WebURLField("programmes:programme_detail", "slug")
    networks = ProgrammeNetworkSerializer(
        source="programme_networks",
        many=True,
        read_only=True,
        help_text="Networks that run, fund or implement the programme (edited in the admin).",
    )
    period = serializers.CharField(source="period_display", read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "slug",
            "acronym",
            "description",
            "networks",
            "start_date",
            "end_date",
            "date_precision",
            "period",
            "status",
            "website",
            "is_published",
            "citations",
            "created",
            "modified",
        ]


class StreamMemberSerializer(RefSerializer):
    city = CityRefSerializer(read_only=True, allow_null=True)
    network = NetworkRefSerializer(read_only=True, allow_null=True)

    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = StreamMember
        fields = ["city", "network", "role"]
        read_only_fields = fields


class ThematicStreamSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:thematic-stream-detail")
    web_url = WebURLField("programmes:stream_detail", "slug")
    programme = programme_field()
    priorities = serializers.SlugRelatedField(
        slug_field="text",
        many=True,
        read_only=True,
        help_text="Key priorities in the source's order (edited in the admin).",
    )
    members = StreamMemberSerializer(
        many=True, read_only=True, help_text="Leads, co-leads and members (edited in the admin)."
    )
    themes = themes_field()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = ThematicStream
        fields = [
            "id",
            "url",
            "web_url",
            "programme",
            "name",
            "slug",
            "description",
            "themes",
            "order",
            "priorities",
            "members",
            "citations",
            "created",
            "modified",
        ]


class ParticipantSerializer(
    FastRepresentationMixin, RejectUnknownFieldsMixin, serializers.ModelSerializer
):
    """A city's part in a pairing: written as ``{"city": <id>, "role": "pilot"}``."""

    city = city_field()
    role = serializers.ChoiceField(choices=ParticipantRole.choices, default=ParticipantRole.PARTNER)

    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = PairingParticipant
        fields = ["city", "role", "note"]
        validators: list = []


class StatusChangeSerializer(RefSerializer):
    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = PairingStatusChange
        fields = ["status", "changed_on", "date_precision", "note"]
        read_only_fields = fields


class PairingSerializer(RegistryModelSerializer):
    """A pairing with its cities; writes go through ``programmes.services``."""

    url = RecordURLField(view_name="api:pairing-detail")
    web_url = WebURLField("programmes:pairing_detail")
    programme = programme_field()
    stream = stream_field(required=False, allow_null=True)
    title = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Left empty, the cities' names: “Taichung – Prato”.",
    )
    participants = ParticipantSerializer(
        many=True, help_text="At least two cities, each once, with their roles."
    )
    period = serializers.CharField(source="period_display", read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    themes = themes_field()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "kind",
            "status",
            "programme",
            "stream",
            "participants",
            "start_date",
            "end_date",
            "date_precision",
            "period",
            "description",
            "themes",
            "is_published",
            "is_verified",
            "status_changes",
            "citations",
            "created",
            "modified",
        ]

    def validate(self, attrs):
        participants = attrs.get("participants")
        if not attrs.get("title", getattr(self.instance, "title", "")):
            cities = [spec["city"] for spec in participants or []]
            if self.instance is not None and participants is None:
                cities = [p.city for p in self.instance.participants.all()]
            attrs["title"] = services.default_title(cities)
        attrs = super().validate(attrs)
        pairing = self._checked_instance
        if participants is not None:
            try:
                services.validate_participants(
                    programme_id=pairing.programme_id,
                    stream_id=pairing.stream_id,
                    participants=self.participant_specs(participants),
                    exclude_pk=pairing.pk,
                )
            except DjangoValidationError as error:
                raise django_errors_to_drf(error) from error
        return attrs

    def changes_anything(self) -> bool:
        if super().changes_anything():
            return True
        participants = self.validated_data.get("participants")
        if participants is None:
            return False
        wanted = {(s.city_id, s.role, s.note) for s in self.participant_specs(participants)}
        return wanted != {(p.city_id, p.role, p.note) for p in self.instance.participants.all()}

    @staticmethod
    def participant_specs(participants) -> list[services.ParticipantSpec]:
        return [
            services.ParticipantSpec(
                city_id=spec["city"].pk,
                role=spec.get("role", ParticipantRole.PARTNER),  # PATCH skips defaults
                note=spec.get("note", ""),
            )
            for spec in participants
        ]

    def create(self, validated_data):
        pairing = self._checked_instance
        fields = {
            name: getattr(pairing, name)
            for name in (
                "kind",
                "start_date",
                "end_date",
                "date_precision",
                "description",
                "is_published",
                "is_verified",
            )
        }
        try:
            return services.pairing_create(
                programme=pairing.programme,
                stream=pairing.stream,
                participants=self.participant_specs(validated_data["participants"]),
                title=pairing.title,
                status=pairing.status,
                themes=self._many.get("themes", ()),
                **fields,
            )
        except DjangoValidationError as error:
            raise django_errors_to_drf(error) from error

    @transaction.atomic
    def update(self, instance, validated_data):
        pairing = self._checked_instance
        new_status, pairing.status = pairing.status, instance.status
        try:
            pairing.save()
            if "participants" in validated_data:
                services.pairing_set_participants(
                    pairing=pairing,
                    participants=self.participant_specs(validated_data["participants"]),
                )
            services.pairing_set_status(pairing=pairing, status=new_status)
            if "themes" in self._many:
                pairing.themes.set(self._many["themes"])
        except DjangoValidationError as error:
            raise django_errors_to_drf(error) from error
        forget_prefetched(pairing)
        return pairing
