"""The ``theme`` filter every themed list has (pages and API alike)."""

import django_filters
from django.db.models import Q
from django.utils.text import slugify

from themes.models import Theme


def with_narrower(themes) -> set[int]:
    """Return the ids of ``themes`` and of every theme below them ("climate change" takes in
    its adaptation and mitigation)."""
    ids = {theme.pk for theme in themes}
    frontier = set(ids)
    while frontier:
        frontier = set(Theme.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        frontier -= ids
        ids |= frontier
    return ids


class ThemeFilter(django_filters.ModelMultipleChoiceFilter):
    """Records carrying any of the chosen themes (by slug) or a narrower one.

    A sub-select of ids rather than a join: no repeats, so no DISTINCT over the list.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "themes")
        kwargs.setdefault("queryset", Theme.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", "Theme")
        kwargs.setdefault(
            "help_text",
            "Theme slug, e.g. flood-management (its narrower themes included); repeat the "
            "parameter for several.",
        )
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        field = qs.model._meta.get_field(self.field_name)
        tagged = field.remote_field.through.objects.filter(theme__in=with_narrower(value))
        return qs.filter(pk__in=tagged.values(field.m2m_field_name()))


def themes_named(text: str):
    """Return the themes whose name or slug contains ``text`` (case and accents aside)."""
    return Theme.objects.filter(
        Q(name__unaccent__icontains=text) | Q(slug__icontains=slugify(text) or text)
    )


def or_on_themes(found, visible, themes):
    """Return the records of ``found`` (a search's matches) and those of ``visible`` on any
    of ``themes``: a search for "flood management" finds the pairings on that theme."""
    if not themes:
        return found
    themed = ThemeFilter().filter(visible, themes)
    return visible.filter(Q(pk__in=found.values("pk")) | Q(pk__in=themed.values("pk")))
