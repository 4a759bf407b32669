"""Filters for sources (pages and API)."""

import django_filters
from django.db.models import Q

from core.filtersets import BaseFilterSet, StrictBooleanFilter
from sources.choices import SourceKind
from sources.models import Source
from sources.querysets import text_query
from themes.filtersets import ThemeFilter


class SourceFilterSet(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices)
    is_verified = StrictBooleanFilter(label="Verified")
    theme = ThemeFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("published_on", "published_on"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )

    class Meta:
        model = Source
        fields = ["q", "kind", "is_verified"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__unaccent__icontains=value)
            | Q(publisher__unaccent__icontains=value)
            | Q(seed_file__icontains=value)
            | Q(search_vector=text_query(value))
        )
