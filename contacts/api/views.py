"""API viewsets for contacts (``/api/v1/contacts/``, ``/api/v1/contact-roles/``)."""

from contacts.api.serializers import ContactRoleSerializer, PersonSerializer
from contacts.filtersets import ContactRoleFilterSet, PersonFilterSet
from contacts.models import ContactRole, Person
from contacts.services import person_erase
from core.api.views import RegistryViewSet


class PersonViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = Person.objects.select_related("organisation_city", "organisation_network")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def perform_destroy(self, instance):
        # Deleting a person is erasing them, as in the admin and on their page.
        person_erase(person=instance)


class ContactRoleViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = ContactRole.objects.select_related(
        "person", "city", "network", "programme", "stream", "pairing"
    )
    serializer_class = ContactRoleSerializer
    filterset_class = ContactRoleFilterSet
