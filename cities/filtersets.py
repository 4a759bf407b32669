"""Filters for city lists, shared by the pages and the API."""

import django_filters

from cities.choices import LocalGovernmentKind
from cities.models import City
from core.filtersets import BaseFilterSet, country_choices, related_filters, user_of
from programmes.models import Network, PairingParticipant, Programme


class CityFilterSet(BaseFilterSet):
    country = django_filters.MultipleChoiceFilter(
        choices=country_choices, label="Country", help_text="ISO 3166-1 alpha-2 code, e.g. TH."
    )
    kind = django_filters.MultipleChoiceFilter(choices=LocalGovernmentKind.choices)
    network_id, network = related_filters("memberships__network", Network, label="Network")
    programme_id, programme = related_filters(
        "pairing_participations__pairing__programme",
        Programme,
        label="Programme",
        method="filter_programme",
    )
    distinct_filters = {"network_id", "network"}
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

    def filter_programme(self, queryset, name, value):
        # Through the pairings the user may see: a draft pairing must not name its cities.
        taking_part = PairingParticipant.objects.visible_to(user_of(self.request)).filter(
            pairing__programme__in=value
        )
        return queryset.filter(pk__in=taking_part.values("city_id"))
