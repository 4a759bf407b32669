"""Pages about cities: the list, a city's page, its edit form and name suggestions."""

from django.db.models import Case, F, When
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from activities.models import Activity
from cities.filtersets import CityFilterSet
from cities.forms import CityForm
from cities.models import City
from core.counting import first_rows_and_count
from core.views.forms import RecordUpdateView
from core.views.lists import FilteredListView
from core.views.records import RecordDetailView
from core.visibility import visible_to
from programmes.choices import ParticipantRole
from programmes.models import Membership, Pairing, StreamMember


class CityListView(FilteredListView):
    model = City
    filterset_class = CityFilterSet
    table_template = "cities/city_table.html"
    api_resource = "cities"
    filter_fields = ("q", "country", "kind", "network", "programme")
    checkbox_fields = ("kind",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("alternative_names")


CITY_PAGE_ROWS = 20  # pairings and activities a city's page shows; the lists have the rest


class CityDetailView(RecordDetailView):
    """A city's page: its latest pairings and activities (a busy city has thousands),
    with their numbers and links to the full, filtered lists."""

    model = City
    template_name = "cities/city_detail.html"
    queryset = City.objects.prefetch_related("alternative_names", "citations__source")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city, user = self.object, self.request.user
        context["memberships"], context["membership_count"] = first_rows_and_count(
            Membership.objects.filter(city=city)
            .select_related("network")
            .order_by("network__name", "id"),
            CITY_PAGE_ROWS,
        )
        context["stream_roles"] = (
            StreamMember.objects.visible_to(user)
            .filter(city=city)
            .select_related("stream__programme")
        )
        context["pairings"], context["pairing_count"] = first_rows_and_count(
            visible_to(user, Pairing.objects.for_city(city))
            .with_participants()
            # The pairings it hosts first (ordering reuses for_city's join: its own role).
            .order_by(
                Case(When(participants__role=ParticipantRole.PILOT, then=0), default=1),
                F("start_date").desc(nulls_last=True),
                "-id",
            ),
            CITY_PAGE_ROWS,
        )
        context["activities"], context["activity_count"] = first_rows_and_count(
            visible_to(user, Activity.objects.for_city(city))
            .select_related("programme", "location_city")
            .order_by("-start_date", "title"),
            CITY_PAGE_ROWS,
        )
        context["based_networks"] = city.based_networks.all()
        return context


class CityUpdateView(RecordUpdateView):
    model = City
    form_class = CityForm


def city_suggest(request):
    """Return <option>s of the cities matching ``q`` for a <datalist> (best match first).

    ``value=slug`` fills in slugs (filters); otherwise the "Name (CC)" that forms read.
    """
    text = request.GET.get("q", "").strip()
    cities = (
        City.objects.search(text).prefetch_related("alternative_names")[:10]
        if len(text) >= 2
        else []
    )
    if request.GET.get("value") == "slug":
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((c.slug, suggestion_label(c)) for c in cities)
        )
    else:
        # The label shows the name searched for (高雄) beside the value the form reads.
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((str(c), other_name(c) or str(c)) for c in cities),
        )
    return HttpResponse(format_html("{}", options))


def other_name(city) -> str:
    """Return the name a suggestion shows beside the English one: the name searched for
    when it was another, else the local name, else ""."""
    local = city.local_name
    return getattr(city, "matched_name", None) or (local.name if local else "")


def suggestion_label(city) -> str:
    """Return "Kaohsiung (TW) 高雄": the city and the other name it was found by."""
    other = other_name(city)
    return f"{city} {other}" if other else str(city)
