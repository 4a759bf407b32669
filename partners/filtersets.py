"""Filters of the seeking-partners board (its page and ``/api/v1/partner-requests/``)."""

import django_filters

from cities.models import City
from core.filtersets import BaseFilterSet, related_filters
from partners.choices import PartnerKind, PartnerRequestStatus
from partners.models import PartnerRequest
from programmes.models import Programme, ThematicStream
from themes.filtersets import ThemeFilter


class PartnerRequestFilterSet(BaseFilterSet):
    city_id, city = related_filters("city", City, label="City")
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    stream_id, stream = related_filters("stream", ThematicStream, label="Thematic stream")
    status = django_filters.MultipleChoiceFilter(choices=PartnerRequestStatus.choices)
    partner_kind = django_filters.MultipleChoiceFilter(
        choices=PartnerKind.choices, label="Kind of partner"
    )
    theme = ThemeFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("deadline", "deadline"),
            ("created", "created"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )

    class Meta:
        model = PartnerRequest
        fields = ["q", "status", "partner_kind"]

    def search(self, queryset, name, value):
        return queryset.search(value)
