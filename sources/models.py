"""Provenance: the documents the registry's facts come from, and citations of them."""

import pghistory
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from core.dates import DatePrecision, date_in_range, validate_date_in_range
from core.models import TimeStampedModel
from sources.choices import SourceKind
from sources.querysets import CitationQuerySet


@pghistory.track()
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
    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="sources",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            date_in_range("published_on", "source"),
            models.UniqueConstraint(
                fields=["seed_file"],
                condition=~models.Q(seed_file=""),
                name="source_unique_seed_file",
            ),
        ]

    def __str__(self):
        return self.title


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
