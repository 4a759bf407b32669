"""Filters for networks, memberships, programmes, streams and pairings (pages and API)."""

import django_filters
from django.db.models import Q

from cities.models import City
from citypairing.filtersets import (
    BaseFilterSet,
    DistinctMixin,
    StrictBooleanFilter,
    country_choices,
    related_filters,
)
from programmes.choices import (
    MemberType,
    NetworkKind,
    PairingKind,
    PairingStatus,
    ProgrammeStatus,
)
from programmes.models import Membership, Network, Pairing, Programme, ThematicStream


class NetworkFilterSet(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=NetworkKind.choices)
    parent_id, parent = related_filters("parent", Network, label="Parent network")
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("modified", "modified"), ("id", "id"))
    )

    class Meta:
        model = Network
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__unaccent__icontains=value)
            | Q(acronym__unaccent__icontains=value)
            | Q(name__trigram_word_similar=value)
        )


class MembershipFilterSet(BaseFilterSet):
    network_id, network = related_filters("network", Network, label="Network")
    city_id, city = related_filters("city", City, label="City")
    member_type = django_filters.MultipleChoiceFilter(choices=MemberType.choices)
    regional_group = django_filters.CharFilter(lookup_expr="iexact")
    country = django_filters.MultipleChoiceFilter(
        field_name="city__country", choices=country_choices, label="Country"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("network__name", "network"),
            ("member_type", "member_type"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )

    class Meta:
        model = Membership
        fields = ["q", "member_type"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(city__name__unaccent__icontains=value)
            | Q(member_network__name__unaccent__icontains=value)
            | Q(member_network__acronym__icontains=value)
        )


class ProgrammeFilterSet(DistinctMixin, BaseFilterSet):
    network_id, network = related_filters("networks", Network, label="Network")
    status = django_filters.MultipleChoiceFilter(choices=ProgrammeStatus.choices)
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("start_date", "start_date"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )
    distinct_filters = {"network_id", "network"}

    class Meta:
        model = Programme
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__unaccent__icontains=value)
            | Q(acronym__icontains=value)
            | Q(description__unaccent__icontains=value)
        )


class ThematicStreamFilterSet(BaseFilterSet):
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("order", "order"), ("modified", "modified"), ("id", "id")),
    )

    class Meta:
        model = ThematicStream
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__unaccent__icontains=value)
            | Q(description__unaccent__icontains=value)
            | Q(priorities__text__unaccent__icontains=value)
        ).distinct()


class PairingFilterSet(DistinctMixin, BaseFilterSet):
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    stream_id, stream = related_filters("stream", ThematicStream, label="Thematic stream")
    city_id, city = related_filters("participants__city", City, label="City")
    network_id, network = related_filters("programme__networks", Network, label="Network")
    country = django_filters.MultipleChoiceFilter(
        field_name="participants__city__country",
        choices=country_choices,
        label="Country",
        help_text="Pairings with a participant in this country (ISO 3166-1 alpha-2).",
    )
    status = django_filters.MultipleChoiceFilter(choices=PairingStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=PairingKind.choices)
    is_verified = StrictBooleanFilter(label="Verified")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("start_date", "start_date"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )
    distinct_filters = {"city_id", "city", "network_id", "network", "country", "q"}

    class Meta:
        model = Pairing
        fields = ["q", "status", "kind"]

    def search(self, queryset, name, value):
        matching_cities = City.objects.search(value).values("pk")
        return queryset.filter(
            Q(title__unaccent__icontains=value)
            | Q(participants__city__in=matching_cities)
            | Q(programme__name__unaccent__icontains=value)
            | Q(stream__name__unaccent__icontains=value)
        )
