"""Filters for activity lists, the timeline and the calendar feed (pages and API)."""

import datetime

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from activities.choices import ActivityKind, ActivityStatus
from activities.models import Activity
from activities.querysets import needs_update_q
from cities.models import City
from core.dates import period_end
from core.filtersets import (
    BaseFilterSet,
    StrictBooleanFilter,
    country_choices,
    related_filters,
    visible_choices,
)
from programmes.models import Network, Pairing, Programme, ThematicStream
from themes.filtersets import ThemeFilter


class MonthField(forms.CharField):
    """A month written YYYY-MM, cleaned to its first day."""

    default_error_messages = {"invalid": "Give a month as YYYY-MM, e.g. 2026-03."}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


class ActivityFilterForm(forms.Form):
    """The activity filter panel, which also checks that a date range is the right way round."""

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("start_after"), cleaned.get("start_before")
        if after and before and after > before:
            self.add_error(
                "start_before",
                "“Starts on or before” is earlier than “Starts on or after”: swap the dates.",
            )
        return cleaned


class ActivityFilterSet(BaseFilterSet):
    programme_id, programme = related_filters("programme", Programme, label="Programme")
    stream_id, stream = related_filters("stream", ThematicStream, label="Thematic stream")
    pairing_id = django_filters.ModelMultipleChoiceFilter(
        field_name="pairing", queryset=visible_choices(Pairing), label="Pairing (id)"
    )
    # field_name tells the API schema the value's type; filter_city also looks at the venue.
    city_id = django_filters.ModelMultipleChoiceFilter(
        field_name="cities",
        queryset=City.objects.all(),
        method="filter_city",
        label="City (id)",
        help_text="City id (taking part or hosting); repeat the parameter for several.",
    )
    city = django_filters.ModelMultipleChoiceFilter(
        field_name="cities",
        queryset=City.objects.all(),
        to_field_name="slug",
        method="filter_city",
        label="City",
        help_text="City slug (taking part or hosting); repeat the parameter for several.",
    )
    network_id, network = related_filters(
        "organisers", Network, label="Organising network", method="filter_organiser"
    )
    country = django_filters.MultipleChoiceFilter(
        field_name="cities__country", choices=country_choices, label="Country"
    )
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices)
    theme = ThemeFilter()
    start_after = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label="Starts on or after",
        help_text="YYYY-MM-DD",
    )
    start_before = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label="Starts on or before",
        help_text="YYYY-MM-DD",
    )
    needs_update = StrictBooleanFilter(
        method="filter_needs_update",
        label="Needs an update",
        help_text="true: planned or confirmed activities whose dates have passed (say "
        "whether they were held or cancelled); false: all the others.",
    )
    distinct_filters = {"country"}
    month = MonthFilter(
        method="filter_month",
        label="Month",
        help_text="YYYY-MM: activities taking place (at least partly) in that month.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("start_date", "start_date"),
            ("title", "title"),
            ("kind", "kind"),
            ("modified", "modified"),
            ("id", "id"),
        ),
    )

    class Meta:
        model = Activity
        fields = ["q", "kind", "status"]
        form = ActivityFilterForm

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_city(self, queryset, name, value):
        return queryset.for_cities(value)

    # A sub-select of ids rather than a join across the many-to-many table: no repeats, so
    # no DISTINCT. (For country the join walked in date order is faster than the ids of
    # tens of thousands of activities, so it keeps its join and DISTINCT.)
    def filter_organiser(self, queryset, name, value):
        organised = Activity.organisers.through.objects.filter(network__in=value)
        return queryset.filter(pk__in=organised.values("activity_id"))

    def filter_needs_update(self, queryset, name, value):
        return queryset.needs_update() if value else queryset.exclude(needs_update_q())

    def filter_month(self, queryset, name, value):
        return queryset.overlapping(value, period_end(value, "month"))
