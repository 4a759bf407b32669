"""Filters for city lists, shared by the pages and the API."""

import django_filters

from cities.choices import LocalGovernmentKind
from cities.models import City
from citypairing.filtersets import BaseFilterSet, country_choices, related_filters
from programmes.models import Network, Programme


class CityFilterSet(BaseFilterSet):
    country = django_filters.MultipleChoiceFilter(
        choices=country_choices, label="Country", help_text="ISO 3166-1 alpha-2 code, e.g. TH."
    )
    kind = django_filters.MultipleChoiceFilter(choices=LocalGovernmentKind.choices)
    network_id, network = related_filters("memberships__network", Network, label="Network")
    programme_id, programme = related_filters(
        "pairing_participations__pairing__programme", Programme, label="Programme"
    )
    distinct_filters = {"network_id", "network", "programme_id", "programme"}
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("country", "country"),
            ("population", "population"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )

    class Meta:
        model = City
        fields = ["q", "country", "kind"]

    def search(self, queryset, name, value):
        return queryset.search(value)
