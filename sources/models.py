"""Provenance: the documents the registry's facts come from, and citations of them."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Left, Length
from django.db.models.lookups import LessThanOrEqual

from core.dates import DatePrecision, date_in_range, validate_date_in_range
from core.models import TimeStampedModel
from sources.choices import SEARCH_CONFIG, SEARCHED_CHARACTERS, SourceKind
from sources.extract import PAGE_SEPARATOR, ExtractedText
from sources.querysets import CitationQuerySet, SourceQuerySet


def source_file_path(source, filename: str) -> str:
    """Store an uploaded file under its content hash: one file per document, whatever its name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sources/{source.content_hash[:2]}/{source.content_hash}.{suffix[:10]}"


# The text is never edited and its search vector is derived: history keeps neither.
@pghistory.track(exclude=["text", "search_vector"])
class Source(TimeStampedModel):
    """A document that states facts about city cooperation: a report, a web page, a dataset.

    Seeded sources name their file in ``shared/seeds`` (``seed_file``); external data
    (e.g. Wikipedia's twin-town lists) is marked unverified and carries its attribution.
    """

    title = models.CharField(
        max_length=300,
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
    )
    kind = models.CharField(
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.OTHER,
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text="When the document was published (first day of its month or year if "
        "only that is known).",
    )
    published_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    url = models.URLField(
        max_length=500,
        blank=True,
    )
    seed_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="File name in shared/seeds that this source was extracted from.",
    )
    attribution = models.CharField(
        max_length=300,
        blank=True,
        help_text="Credit line that must travel with data taken from this source.",
    )
    is_verified = models.BooleanField(
        default=True,
        help_text="Unticked for external data that no programme officer has checked.",
    )
    notes = models.TextField(
        blank=True,
    )
    file = models.FileField(
        upload_to=source_file_path,
        max_length=200,
        blank=True,
        help_text="The document as uploaded (kept in the storage settings.STORAGES names).",
    )
    file_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="The uploaded file's name, as the officer's computer had it.",
    )
    content_type = models.CharField(
        max_length=100,
        blank=True,
        help_text="What the file is, read from its content (not its name).",
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the uploaded file (or of the pasted text): the same document "
        "twice is one source.",
    )
    text = models.TextField(
        blank=True,
        help_text="The document's text as extracted, pages separated by form feeds.",
    )
    ocr_pages = models.JSONField(
        default=list,
        blank=True,
        help_text="Pages (from 1) read by OCR, as they had no text layer.",
    )
    programme = models.ForeignKey(
        # By name: programmes sit above sources in the layers (pyproject.toml).
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The programme whose officers brought this document in; they alone see "
        "it until it is published. Empty for the registry's own sources.",
    )
    is_published = models.BooleanField(
        default=False,
        help_text="Shown to everyone. A source without a programme is always shown.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", Left("text", SEARCHED_CHARACTERS), config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="sources",
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="source_search_vector_idx"),
        ]
        constraints = [
            date_in_range("published_on", "source"),
            models.UniqueConstraint(
                fields=["seed_file"],
                condition=~models.Q(seed_file=""),
                name="source_unique_seed_file",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~models.Q(content_hash=""),
                name="source_unique_content_hash",
                violation_error_message="This document is in the registry already.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("sources:source_detail", kwargs={"slug": self.slug})

    @property
    def document(self) -> ExtractedText:
        """Return the kept text as the intake engine and quote finder read it."""
        return ExtractedText(
            pages=self.text.split(PAGE_SEPARATOR), content_type=self.content_type or "text/plain"
        )

    @property
    def pages(self) -> list[str]:
        return self.text.split(PAGE_SEPARATOR) if self.text else []


@pghistory.track()
class Citation(TimeStampedModel):
    """A verbatim quote from a source that supports one record of the registry."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    quote = models.TextField(
        help_text="The passage exactly as the source has it, OCR errors included.",
    )
    locator = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where in the source: a page, section or heading.",
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="citation_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quote__regex=r"\S"),
                name="citation_quote_not_blank",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("quote"), 2000),
                name="citation_quote_short",
            ),
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id", "quote"],
                name="citation_unique_quote_per_record",
            ),
        ]

    def __str__(self):
        return f"{self.source}: “{self.quote[:60]}”"

    def clean(self):
        if not self.quote or not self.quote.strip():
            raise ValidationError({"quote": "Give the passage of the source that supports this."})
        if len(self.quote) > 2000:
            raise ValidationError(
                {"quote": "Keep the quote to 2,000 characters or fewer: cite the key passage."}
            )


# Which themes a record carries is history too.
pghistory.track(model_name="SourceThemesEvent")(Source.themes.through)
