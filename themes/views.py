"""The themes' pages, and the "Themes" facet of the pairing and activity lists."""

from dataclasses import dataclass

from django.db.models import Count
from django.views.generic import DetailView, ListView

from core.views.choices import kept_for_anonymous
from core.visibility import visible_to
from themes.models import Theme

# What a theme's page lists: (reverse relation, heading), each read through visible_to.
THEMED_RECORDS = [
    ("streams", "Thematic streams"),
    ("pairings", "Pairings"),
    ("activities", "Activities"),
    ("sources", "Sources"),
]
RECORDS_SHOWN = 100


@dataclass
class Facet:
    """One theme of a list's facet: how many of the list's records carry it, and the
    list's address with that theme chosen (or, when chosen, without it)."""

    theme: Theme
    count: int
    url: str
    chosen: bool


def theme_facets(queryset, *, query, path) -> list[Facet]:
    """Return the themes of the records of ``queryset`` with counts, most used first.

    ``queryset`` holds only records its reader may see (a list page's records, read through
    ``visible_to``): the facet counts those and no others.
    """
    field = queryset.model._meta.get_field("themes")
    record = field.m2m_field_name()
    counts = dict(
        field.remote_field.through.objects.filter(
            **{f"{record}__in": queryset.order_by().values("pk")}
        )
        .order_by()
        .values_list("theme")
        .annotate(count=Count(record))
    )
    chosen = set(query.getlist("theme"))
    facets = []
    for theme in Theme.objects.filter(pk__in=counts):
        toggled = query.copy()
        toggled.setlist("theme", sorted(chosen ^ {theme.slug}))
        toggled.pop("page", None)
        url = f"{path}?{toggled.urlencode()}" if toggled else path
        facets.append(Facet(theme, counts[theme.pk], url, theme.slug in chosen))
    return sorted(facets, key=lambda facet: (-facet.count, facet.theme.name))


def offer_kept_themes(form, user) -> None:
    """Offer a filter panel's themes from the list kept per process (``kept_for_anonymous``),
    not from a query on every page: the list changes only when a theme does.

    Only the widget's options change; the field still checks the chosen slugs itself.
    Every list page's filter form passes through it (``ThemesConfig.ready()`` registers it
    with ``core.views.lists.register_filter_form_hook``).
    """
    field = form.fields.get("theme")
    if getattr(field, "queryset", None) is None or field.queryset.model is not Theme:
        return
    # Read when the panel writes the options (a page that does not show them reads none).
    field.widget.choices = lambda: kept_for_anonymous(
        "themes", user, lambda: tuple((str(value), label) for value, label in field.choices)
    )


class ThemeFacetsMixin:
    """Give a list page (``FilteredListView``) the "Themes" facet of its filtered records.

    Counting the themes of a whole list reads every record of it: anonymous readers'
    facets are kept per list and filters until the records' next change
    (``kept_for_anonymous``; the pairings and activities apps advance its version when a
    record, or its themes, change, and this app when a theme does).
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.filterset.is_bound or self.filterset.is_valid():
            query = self.request.GET.copy()
            query.pop("page", None)  # no facet's count or address depends on the page
            context["theme_facets"] = kept_for_anonymous(
                f"facets:{self.request.path}?{query.urlencode()}",
                self.request.user,
                lambda: theme_facets(self.object_list, query=query, path=self.request.path),
            )
        return context


class ThemeListView(ListView):
    model = Theme
    template_name = "themes/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return Theme.objects.select_related("parent").prefetch_related("sdgs")


class ThemeDetailView(DetailView):
    """A theme with the streams, pairings, activities and sources the reader may see."""

    model = Theme
    template_name = "themes/theme_detail.html"
    context_object_name = "theme"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme, user = self.object, self.request.user
        context["sections"] = [
            (
                relation,
                heading,
                list(visible_to(user, getattr(theme, relation).all())[:RECORDS_SHOWN]),
            )
            for relation, heading in THEMED_RECORDS
        ]
        context["narrower"] = theme.children.all()
        context["sdgs"] = theme.sdgs.all()
        return context
