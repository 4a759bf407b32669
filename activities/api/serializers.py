"""Activities in the API: dated, with the cities taking part embedded."""

from rest_framework import serializers

from activities.models import Activity
from cities.api.serializers import CityRefSerializer
from cities.models import City
from core.api.serializers import (
    NestedRelatedField,
    RecordURLField,
    RegistryModelSerializer,
    WebURLField,
)
from programmes.api.serializers import (
    NetworkRefSerializer,
    PairingRefSerializer,
    city_field,
    programme_field,
    stream_field,
)
from programmes.models import Network, Pairing
from sources.api.serializers import CitationSerializer
from themes.api import themes_field


class ActivitySerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:activity-detail")
    web_url = WebURLField("activities:activity_detail")
    end_date = serializers.DateField(
        required=False,
        help_text="Leave out for an activity within one day, month or year; month- and "
        "year-precise dates are stored as the whole month or year.",
    )
    period = serializers.CharField(source="period_display", read_only=True)
    programme = programme_field(required=False, allow_null=True)
    stream = stream_field(required=False, allow_null=True)
    pairing = NestedRelatedField(
        PairingRefSerializer,
        queryset=Pairing.objects.select_related("programme"),
        required=False,
        allow_null=True,
    )
    location_city = city_field(required=False, allow_null=True)
    cities = NestedRelatedField(
        CityRefSerializer, queryset=City.objects.all(), many=True, required=False
    )
    organisers = NestedRelatedField(
        NetworkRefSerializer, queryset=Network.objects.all(), many=True, required=False
    )
    themes = themes_field()
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "period",
            "programme",
            "stream",
            "pairing",
            "location_city",
            "location",
            "cities",
            "organisers",
            "description",
            "outcomes",
            "themes",
            "cost_estimate",
            "cost_currency",
            "is_published",
            "citations",
            "created",
            "modified",
        ]
