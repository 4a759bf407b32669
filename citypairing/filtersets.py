"""Filter pieces every app's filtersets share (one filterset serves page and API)."""

import django_filters
from django_countries import countries


def country_choices():
    """Return (ISO code, name) pairs for every country django-countries knows."""
    return list(countries)


class BaseFilterSet(django_filters.FilterSet):
    """A filterset with free-text ``q`` and ``modified_since`` for delta pulls."""

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        max_length=200,
        help_text="Free text (up to 200 characters); tolerant of case, accents and small "
        "misspellings.",
    )
    modified_since = django_filters.IsoDateTimeFilter(
        field_name="modified",
        lookup_expr="gte",
        label="Modified since",
        help_text="ISO 8601 timestamp, e.g. 2026-03-01T00:00:00Z: only records changed since.",
    )

    def search(self, queryset, name, value):
        raise NotImplementedError


def related_filters(field_name: str, model, *, label: str, slug_field: str = "slug"):
    """Return the pair of filters for a relation: by id (``<name>_id``) and by slug."""
    return (
        django_filters.ModelMultipleChoiceFilter(
            field_name=field_name,
            queryset=model.objects.all(),
            label=f"{label} (id)",
            help_text=f"{label} id; repeat the parameter for several.",
        ),
        # django-filter compares the value of ``to_field_name``: the lookup must end there.
        django_filters.ModelMultipleChoiceFilter(
            field_name=f"{field_name}__{slug_field}",
            queryset=model.objects.all(),
            to_field_name=slug_field,
            label=label,
            help_text=f"{label} slug; repeat the parameter for several.",
        ),
    )
