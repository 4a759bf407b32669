"""Contacts in the API: personal data, for those who may see it only (404 otherwise)."""

from rest_framework import serializers

from contacts.models import ContactRole, Person
from core.api.serializers import (
    NestedRelatedField,
    RecordURLField,
    RegistryModelSerializer,
    WebURLField,
)
from programmes.api.serializers import (
    PairingRefSerializer,
    city_field,
    network_field,
    programme_field,
    stream_field,
)
from programmes.models import Pairing


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name"]


class PersonSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:person-detail")
    web_url = WebURLField("contacts:person_detail")
    organisation_city = city_field(required=False, allow_null=True)
    organisation_network = network_field(required=False, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "title",
            "organisation_city",
            "organisation_network",
            "email",
            "phone",
            "languages",
            "created",
            "modified",
        ]


class ContactRoleSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:contact-role-detail")
    person = NestedRelatedField(PersonRefSerializer, queryset=Person.objects.all())
    city = city_field(required=False, allow_null=True)
    network = network_field(required=False, allow_null=True)
    programme = programme_field(required=False, allow_null=True)
    stream = stream_field(required=False, allow_null=True)
    pairing = NestedRelatedField(
        PairingRefSerializer, queryset=Pairing.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ContactRole
        fields = [
            "id",
            "url",
            "person",
            "role",
            "city",
            "network",
            "programme",
            "stream",
            "pairing",
            "start_date",
            "end_date",
            "created",
            "modified",
        ]
