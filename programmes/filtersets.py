"""Filters for networks, memberships, programmes, streams and pairings (pages and API)."""

import django_filters
from django.db.models import Q

from cities.models import City
from cities.querysets import contains_folded
from core.filtersets import (
    BaseFilterSet,
    StrictBooleanFilter,
    country_choices,
    related_filters,
    user_of,
)
from programmes.choices import (
    MemberType,
    NetworkKind,
    PairingKind,
    PairingStatus,
    ProgrammeStatus,
)
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    Programme,
    StreamPriority,
    ThematicStream,
)
from themes.filtersets import ThemeFilter


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
            contains_folded(value, "name", "acronym") | Q(name__trigram_word_similar=value)
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
        # A UNION of two index look-ups: an OR across the two joins reads every membership.
        cities = City.objects.meant_by(value).values("pk")
        networks = Network.objects.filter(contains_folded(value, "name", "acronym")).values("pk")
        memberships = Membership.objects.order_by()
        by_city = memberships.filter(city__in=cities).values("pk")
        by_network = memberships.filter(member_network__in=networks).values("pk")
        return queryset.filter(pk__in=by_city.union(by_network))


class ProgrammeFilterSet(BaseFilterSet):
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
        return queryset.filter(contains_folded(value, "name", "acronym", "description"))


class ThematicStreamFilterSet(BaseFilterSet):
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    theme = ThemeFilter()
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("order", "order"), ("modified", "modified"), ("id", "id")),
    )

    class Meta:
        model = ThematicStream
        fields = ["q"]

    def search(self, queryset, name, value):
        by_priority = StreamPriority.objects.filter(contains_folded(value, "text"))
        return queryset.filter(
            contains_folded(value, "name", "description")
            | Q(pk__in=by_priority.values("stream_id"))
        )


class PairingFilterSet(BaseFilterSet):
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    stream_id, stream = related_filters("stream", ThematicStream, label="Thematic stream")
    city_id, city = related_filters("participants__city", City, label="City")
    network_id, network = related_filters("programme__networks", Network, label="Network")
    country = django_filters.MultipleChoiceFilter(
        field_name="participants__city__country",
        method="filter_country",
        choices=country_choices,
        label="Country",
        help_text="Pairings with a participant in this country (ISO 3166-1 alpha-2).",
    )
    status = django_filters.MultipleChoiceFilter(choices=PairingStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=PairingKind.choices)
    is_verified = StrictBooleanFilter(label="Verified")
    theme = ThemeFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("start_date", "start_date"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )
    distinct_filters = {"city_id", "city", "network_id", "network"}

    class Meta:
        model = Pairing
        fields = ["q", "status", "kind"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        # A sub-select of ids rather than a join: no repeats, so no DISTINCT over the list.
        taking_part = PairingParticipant.objects.order_by().filter(city__country__in=value)
        return queryset.filter(pk__in=taking_part.values("pairing_id"))


def add_city_filters(filterset_class) -> None:
    """Give the city lists (page and API) their network and programme filters."""

    def filter_programme(self, queryset, name, value):
        # Through the pairings the user may see: a draft pairing must not name its cities.
        taking_part = PairingParticipant.objects.visible_to(user_of(self.request)).filter(
            pairing__programme__in=value
        )
        return queryset.filter(pk__in=taking_part.values("city_id"))

    def filter_theme(self, queryset, name, value):
        # Cities of the visible pairings on the theme (the map's cities follow its lines).
        themed = ThemeFilter().filter(Pairing.objects.all(), value)
        taking_part = PairingParticipant.objects.visible_to(user_of(self.request)).filter(
            pairing__in=themed
        )
        return queryset.filter(pk__in=taking_part.values("city_id"))

    network_id, network = related_filters("memberships__network", Network, label="Network")
    programme_id, programme = related_filters(
        "pairing_participations__pairing__programme",
        Programme,
        label="Programme",
        method="filter_programme",
    )
    filterset_class.add_filters(
        {
            "network_id": network_id,
            "network": network,
            "programme_id": programme_id,
            "programme": programme,
            "theme": ThemeFilter(
                field_name="pairing_participations__pairing__themes",
                method="filter_theme",
                help_text="Theme slug: cities taking part in pairings on it (or a narrower "
                "theme); repeat the parameter for several.",
            ),
        },
        distinct={"network_id", "network"},
        methods={"filter_programme": filter_programme, "filter_theme": filter_theme},
    )
