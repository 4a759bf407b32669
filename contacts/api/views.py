"""API viewsets for contacts (``/api/v1/contacts/``, ``/api/v1/contact-roles/``)."""

from contacts.api.serializers import ContactRoleSerializer, PersonSerializer
from contacts.filtersets import ContactRoleFilterSet, PersonFilterSet
from contacts.models import ContactRole, Person
from core.api.views import RegistryViewSet


class PersonViewSet(RegistryViewSet):
    queryset = Person.objects.select_related("organisation_city", "organisation_network")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet


class ContactRoleViewSet(RegistryViewSet):
    queryset = ContactRole.objects.select_related(
        "person", "city", "network", "programme", "stream", "pairing"
    )
    serializer_class = ContactRoleSerializer
    filterset_class = ContactRoleFilterSet
