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
from core.dates import DatePrecision
from sources.choices import MATCH_START, MATCH_STOP, SourceKind
from sources.models import Citation, Source
from sources.querysets import cited_models, may_read_source, readable_citations_q
from themes.api import themes_field


class SourceRefSerializer(RefSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "title"]


class ReadableCitationsSerializer(PrefetchedListSerializer):
    """A record's citations, less those of sources the reader may not see (a programme's
    unpublished document)."""

    def to_representation(self, data):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        items = data.all() if hasattr(data, "all") else data
        return super().to_representation(
            [citation for citation in items if may_read_source(user, citation.source)]
        )

    @staticmethod
    def lean_filter(user):
        """The same choice as a condition on the citations (``core.api.lean``), or None."""
        return readable_citations_q(user)


class CitationSerializer(RefSerializer):
    """A quote from a source that supports the record it is attached to (read-only)."""

    source = SourceRefSerializer(read_only=True)

    class Meta:
        list_serializer_class = ReadableCitationsSerializer
        model = Citation
        fields = ["source", "quote", "locator"]
        read_only_fields = fields


def citations_prefetch(prefix: str = "") -> Prefetch:
    """Return the prefetch of ``citations`` (with their sources) for a record list."""
    return prefetched(
        f"{prefix}citations",
        # A source's text can be megabytes: a citation needs its title and state only.
        Citation.objects.select_related("source").defer("source__text", "source__search_vector"),
    )


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
            "programme",
            "is_published",
            "file_name",
            "content_type",
            "content_hash",
            "themes",
            "created",
            "modified",
        ]
        read_only_fields = ["file_name", "content_type", "content_hash"]


class SourceAddSerializer(serializers.Serializer):
    """A document to bring in: ``file`` (multipart) or ``text`` (JSON), and what it is."""

    file = serializers.FileField(
        required=False,
        help_text="The document: PDF, DOCX, HTML or plain text (multipart/form-data).",
    )
    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Or its text (pages separated by form feeds, if known).",
    )
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.OTHER)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    published_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    document_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Source._meta.get_field("programme").related_model.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The programme whose officers may see it until published (required for "
        "officers: one of theirs).",
    )
    is_published = serializers.BooleanField(default=False)

    def validate(self, attrs):
        has_file, has_text = attrs.get("file") is not None, bool(attrs.get("text", "").strip())
        if not has_file and "text" in attrs and not has_text:
            raise serializers.ValidationError(
                {"text": "The text is empty. Send the document's text."}
            )
        if has_file == has_text:
            raise serializers.ValidationError(
                "Send the document as `file` (multipart) or its `text`, one of the two."
            )
        return attrs


class SourceTextSerializer(serializers.ModelSerializer):
    """A source's text, page by page (pages numbered from 1)."""

    pages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Source
        fields = ["id", "title", "content_type", "ocr_pages", "pages", "text"]
        read_only_fields = fields


class SourceMatchSerializer(serializers.ModelSerializer):
    """A document that matches a full-text search, with the passage that matched."""

    passage = serializers.SerializerMethodField(
        help_text="The matching words in their context; matches between « and »."
    )

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "passage"]
        read_only_fields = fields

    def get_passage(self, source) -> str:
        passage = " ".join((getattr(source, "passage", "") or "").split())
        return passage.replace(MATCH_START, "«").replace(MATCH_STOP, "»")


class CitationAddSerializer(serializers.Serializer):
    """A quote of a source for one record; checked against the source's text."""

    source = serializers.IntegerField(help_text="The source's id.")
    record_type = serializers.ChoiceField(
        choices=[],
        help_text="What the record is: city, network, programme, thematicstream, pairing or "
        "activity.",
    )
    record = serializers.IntegerField(help_text="The record's id.")
    quote = serializers.CharField(max_length=2000, trim_whitespace=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = sorted(
            model._meta.model_name for model in cited_models()
        )


class CitationCreatedSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)
    record_type = serializers.CharField(source="content_type.model", read_only=True)
    record = serializers.IntegerField(source="object_id", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "record_type", "record", "quote", "locator"]
        read_only_fields = fields
