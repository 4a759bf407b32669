"""Pages about activities: the list, an activity's page, its forms and the calendar."""

import datetime

from django import forms
from django.db.models import Prefetch
from django.views.generic import TemplateView

from activities.filtersets import ActivityFilterSet
from activities.forms import ActivityForm
from activities.models import Activity
from cities.forms import city_filter_widget
from cities.models import City
from core.dates import EARLIEST_DATE, LATEST_DATE, DatePrecision
from core.numbers import parse_whole_number
from core.views.forms import RecordCreateView, RecordDeleteView, RecordUpdateView
from core.views.lists import (
    CleanQueryMixin,
    FilteredListView,
    api_url,
    only_params,
    prepare_filter_form,
)
from core.views.records import RecordDetailView
from core.visibility import visible_to
from programmes.models import Pairing
from themes.views import ThemeFacetsMixin

MONTH_NAMES = [datetime.date(2000, month, 1).strftime("%b") for month in range(1, 13)]


def month_input():
    # No placeholder: HTML allows none on a month input; the help text gives the format.
    return forms.TextInput(attrs={"type": "month"})


def date_input():
    return forms.DateInput(attrs={"type": "date"})


class ActivityListView(ThemeFacetsMixin, FilteredListView):
    model = Activity
    filterset_class = ActivityFilterSet
    table_template = "activities/activity_table.html"
    api_resource = "activities"
    filter_fields = (
        "q",
        "month",
        "start_after",
        "start_before",
        "programme",
        "stream",
        "city",
        "kind",
        "status",
        "needs_update",
        "country",
        "theme",
    )
    checkbox_fields = ("status",)
    filter_widgets = {
        "city": city_filter_widget,
        "month": month_input,
        "start_after": date_input,
        "start_before": date_input,
    }
    create_url_name = "activities:activity_create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "stream", "location_city")
            .prefetch_related(Prefetch("cities", queryset=City.objects.order_by("name")))
        )


class ActivityDetailView(RecordDetailView):
    model = Activity
    template_name = "activities/activity_detail.html"
    queryset = Activity.objects.select_related(
        "programme", "stream", "pairing", "location_city"
    ).prefetch_related("cities", "organisers", "citations__source")


class ActivityCreateView(RecordCreateView):
    model = Activity
    form_class = ActivityForm

    def get_initial(self):
        """Start from the pairing the officer came from ("Add activity" on its page)."""
        initial = super().get_initial()
        pairing_id = parse_whole_number(self.request.GET.get("pairing"))
        pairing = (
            Pairing.objects.visible_to(self.request.user)
            .filter(pk=pairing_id)
            .prefetch_related("cities")
            .first()
            if pairing_id is not None
            else None
        )
        if pairing:
            initial.update(
                pairing=pairing.pk,
                programme=pairing.programme_id,
                stream=pairing.stream_id,
                cities=list(pairing.cities.all()),
            )
        return initial


class ActivityUpdateView(RecordUpdateView):
    model = Activity
    form_class = ActivityForm


class ActivityDeleteView(RecordDeleteView):
    model = Activity


def feed_urls(request, query) -> dict[str, str]:
    """Return the addresses of the iCalendar feed of the activities filtered like ``query``:
    ``webcal_url`` to subscribe, ``ics_url`` (http or https) to download or paste.

    A subscription follows the filters, not the period on screen: a month in the address
    would subscribe to that month only, for ever.
    """
    query = query.copy()
    for name in ("month", "ordering"):
        query.pop(name, None)
    ics_url = request.build_absolute_uri(api_url(query, "activities", "ics"))
    return {"ics_url": ics_url, "webcal_url": "webcal:" + ics_url.split(":", 1)[1]}


class CalendarView(CleanQueryMixin, TemplateView):
    """A year of activities by month: each activity a bar over the months it spans."""

    template_name = "activities/calendar.html"
    filter_fields = ("programme", "stream", "city", "kind")

    def get_year(self) -> int:
        year = parse_whole_number(self.request.GET.get("year"))
        if year is not None and EARLIEST_DATE.year <= year <= LATEST_DATE.year:
            return year
        return datetime.date.today().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        query = only_params(self.request.GET, ActivityFilterSet.base_filters)
        queryset = visible_to(self.request.user, Activity.objects.all())
        filterset = ActivityFilterSet(query or None, queryset=queryset)
        prepare_filter_form(
            filterset.form,
            shown=self.filter_fields,
            checkboxes=("kind",),
            widgets={"city": city_filter_widget},
            user=self.request.user,
        )
        activities = (
            filterset.qs.overlapping(first, last)
            .select_related("programme", "location_city")
            .order_by("start_date", "end_date", "title")
            if not filterset.is_bound or filterset.is_valid()
            else Activity.objects.none()
        )
        rows = [
            {
                "activity": activity,
                "first_month": max(activity.start_date, first).month,
                "last_month": min(activity.end_date, last).month,
                "continues_before": activity.start_date < first,
                "continues_after": activity.end_date > last,
            }
            for activity in activities
        ]
        # Those known only to the year ("2026") apart, first: a bar over the year, not
        # filed among January's.
        year_only = [row for row in rows if row["activity"].date_precision == DatePrecision.YEAR]
        dated = [row for row in rows if row["activity"].date_precision != DatePrecision.YEAR]
        months = [
            {"number": month, "name": MONTH_NAMES[month - 1], "param": f"{year}-{month:02d}"}
            for month in range(1, 13)
        ]
        context.update(
            {
                "year": year,
                "previous_year": year - 1,
                "next_year": year + 1,
                "months": months,
                "rows": rows,
                "row_groups": [
                    {"heading": f"Known only by the year, {year}", "rows": year_only},
                    {"heading": "Dated to the day or month", "rows": dated},
                ],
                "row_groups_shown": bool(year_only) + bool(dated),
                "filter_form": filterset.form,
                "filter_shown": [filterset.form[name] for name in self.filter_fields],
                "is_filtered": bool(query),
                **feed_urls(self.request, query),
                "list_query": query.urlencode(),
            }
        )
        return context
