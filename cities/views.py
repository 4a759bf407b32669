"""Pages about cities: the list, a city's page, its edit form and name suggestions."""

from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from cities.filtersets import CityFilterSet
from cities.forms import CityForm
from cities.models import City
from core.views.forms import RecordUpdateView
from core.views.lists import FilteredListView
from core.views.records import RecordDetailView
from sources.models import Source


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
CITY_PAGE_DOCUMENTS = 10  # documents naming the city, cited or not, best match first


class CityDetailView(RecordDetailView):
    """A city's page: its latest pairings and activities (a busy city has thousands),
    with their numbers and links to the full, filtered lists.

    Its memberships, stream roles and pairings come from programmes, its activities from
    activities: each adds its section (``core.views.records.register_page_section``).
    """

    model = City
    template_name = "cities/city_detail.html"
    queryset = City.objects.prefetch_related("alternative_names", "citations__source")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["based_networks"] = self.object.based_networks.all()
        names = [self.object.name, *(name.name for name in self.object.alternative_names.all())]
        context["documents"] = list(
            Source.objects.visible_to(self.request.user)
            .mentioning(*names)
            .defer("text", "search_vector")[:CITY_PAGE_DOCUMENTS]
        )
        return context


class CityUpdateView(RecordUpdateView):
    model = City
    form_class = CityForm


def city_suggest(request):
    """Return <option>s of the cities matching ``q`` for a <datalist> (best match first).

    Asked by htmx as one types in a city box (``cities.forms.suggestion_attrs``): the text
    is then the box's own value, under the name ``HX-Trigger-Name`` gives. ``value=slug``
    fills in slugs (filters); otherwise the "Name (CC)" that forms read.
    """
    named = request.htmx.trigger_name if request.htmx else None
    text = request.GET.get("q") or (request.GET.get(named, "") if named else "")
    text = text.strip()
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
