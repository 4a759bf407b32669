"""The ``themes`` field every themed record has in the API: read and written as slugs."""

from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from core.api.serializers import PrefetchedManyRelatedField, prefetched
from themes.models import Theme


class ThemeSlugField(serializers.SlugRelatedField):
    """A theme named by its slug; many of them read the ``prefetched()`` list."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        arguments = {"child_relation": cls(*args, **kwargs)}
        arguments.update({key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS})
        return PrefetchedManyRelatedField(**arguments)

    def to_representation(self, obj):
        return obj.slug


def themes_field() -> ThemeSlugField:
    """Return the ``themes`` field: slugs of the vocabulary (``/themes/`` lists them)."""
    return ThemeSlugField(
        slug_field="slug",
        queryset=Theme.objects.all(),
        many=True,
        required=False,
        help_text='Slugs of the record\'s themes, e.g. ["flood-management"]; the themes '
        "page lists the vocabulary.",
    )


def themes_prefetch(prefix: str = ""):
    """Return the prefetch of ``themes`` for a record list."""
    return prefetched(f"{prefix}themes", Theme.objects.only("id", "slug"))
