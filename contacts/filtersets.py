"""Filters for contacts (pages and API)."""

import django_filters

from contacts.choices import ContactRoleKind
from contacts.models import ContactRole, Person
from core.filtersets import BaseFilterSet


class PersonFilterSet(BaseFilterSet):
    class Meta:
        model = Person
        fields = ["q", "organisation_city", "organisation_network"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class ContactRoleFilterSet(BaseFilterSet):
    role = django_filters.MultipleChoiceFilter(choices=ContactRoleKind.choices)

    class Meta:
        model = ContactRole
        fields = ["q", "person", "role", "city", "network", "programme", "stream", "pairing"]

    def search(self, queryset, name, value):
        return queryset.filter(person__in=Person.objects.search(value).values("pk"))
