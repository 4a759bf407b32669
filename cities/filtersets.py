"""Filters for city lists, shared by the pages and the API."""

import django_filters

from cities.choices import LocalGovernmentKind
from cities.models import City
from core.filtersets import BaseFilterSet, country_choices


class CityFilterSet(BaseFilterSet):
    country = django_filters.MultipleChoiceFilter(
        choices=country_choices, label="Country", help_text="ISO 3166-1 alpha-2 code, e.g. TH."
    )
    kind = django_filters.MultipleChoiceFilter(choices=LocalGovernmentKind.choices)
    # By network and by programme (network_id, network, programme_id, programme): added by
    # programmes (ProgrammesConfig.ready(), programmes.filtersets.add_city_filters).
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
