"""Sources and the citations every record carries."""

from django.db.models import Prefetch
from rest_framework import serializers

from core.api.serializers import (
    PrefetchedListSerializer,
    RecordURLField,
    RefSerializer,
    RegistryModelSerializer,
    prefetched,
)
from sources.models import Citation, Source
from themes.api import themes_field


class SourceRefSerializer(RefSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "title"]


class CitationSerializer(RefSerializer):
    """A quote from a source that supports the record it is attached to (read-only)."""

    source = SourceRefSerializer(read_only=True)

    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = Citation
        fields = ["source", "quote", "locator"]
        read_only_fields = fields


def citations_prefetch(prefix: str = "") -> Prefetch:
    """Return the prefetch of ``citations`` (with their sources) for a record list."""
    return prefetched(f"{prefix}citations", Citation.objects.select_related("source"))


class SourceSerializer(RegistryModelSerializer):
    url = RecordURLField(view_name="api:source-detail")
    document_url = serializers.URLField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Where the document can be read.",
    )
    themes = themes_field()

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "slug",
            "kind",
            "publisher",
            "published_on",
            "published_precision",
            "document_url",
            "seed_file",
            "attribution",
            "is_verified",
            "notes",
            "themes",
            "created",
            "modified",
        ]
