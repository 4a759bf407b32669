"""Filters of the seeking-partners board."""

import django_filters

from partners.models import PartnerRequest
from themes.filtersets import ThemeFilter


class PartnerRequestFilterSet(django_filters.FilterSet):
    theme = ThemeFilter()

    class Meta:
        model = PartnerRequest
        fields: list = []
