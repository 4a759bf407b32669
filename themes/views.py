"""The themes' pages, and the "Themes" facet of the pairing and activity lists."""

from dataclasses import dataclass

from django.db.models import Count
from django.views.generic import DetailView, ListView

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


def theme_facets(queryset, *, user, query, path) -> list[Facet]:
    """Return the themes of the records of ``queryset`` that ``user`` may see, with counts,
    most used first."""
    field = queryset.model._meta.get_field("themes")
    record = field.m2m_field_name()
    visible = visible_to(user, queryset.model._default_manager.all()).filter(
        pk__in=queryset.order_by().values("pk")
    )
    counts = dict(
        field.remote_field.through.objects.filter(**{f"{record}__in": visible.values("pk")})
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


class ThemeFacetsMixin:
    """Give a list page (``FilteredListView``) the "Themes" facet of its filtered records."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.filterset.is_bound or self.filterset.is_valid():
            context["theme_facets"] = theme_facets(
                self.object_list,
                user=self.request.user,
                query=self.request.GET,
                path=self.request.path,
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
