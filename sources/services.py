"""Writes over sources and citations: bringing a document in, citing it from a record."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from sources.choices import SourceKind
from sources.extract import ExtractedText, ExtractionError, Limits, extract, extract_text
from sources.models import Citation, Source
from sources.quotes import QuoteFinder

RESERVED_SLUGS = {"add"}  # addresses under /sources/ that are pages, not sources
SLUG_LENGTH = 90  # of Source.slug's 100, leaving room for "-<n>"
NOT_IN_SOURCE = (
    "This quote is not in the source's text. The closest passage is on {locator}: “{passage}”. "
    "Copy the words as the source has them."
)
NOTHING_CLOSE = (
    "This quote is not in the source's text, and nothing in it comes close. Check that you "
    "chose the right source, and copy the words as it has them."
)


def upload_limits() -> Limits:
    """Return the reading limits, with the upload size limit from the settings."""
    return Limits(max_bytes=settings.SOURCE_MAX_UPLOAD_BYTES)


# What apps above this one do with a document just added (intake proposes its records):
# ``hook(source)``, called after the source is saved, outside its transaction.
SOURCE_ADDED_HOOKS: list = []


def register_source_added(hook) -> None:
    """Call ``hook(source)`` after each new source is saved."""
    if hook not in SOURCE_ADDED_HOOKS:
        SOURCE_ADDED_HOOKS.append(hook)


@dataclass
class AddedSource:
    """The source a document became, and whether it was in the registry already."""

    source: Source
    created: bool


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unique_slug(title: str) -> str:
    """Return a free slug made from ``title`` ("report", "report-2", ...)."""
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "source"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Source.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def source_add(
    *,
    user,
    title: str,
    data: bytes | None = None,
    file_name: str = "",
    text: str = "",
    kind: str = SourceKind.OTHER,
    publisher: str = "",
    published_on: datetime.date | None = None,
    published_precision: str = "",
    url: str = "",
    programme=None,
    is_published: bool = False,
    limits: Limits | None = None,
) -> AddedSource:
    """Bring a document in: an uploaded file's bytes (``data``) or pasted ``text``.

    The text is extracted first, outside any transaction (it may take seconds and runs in
    a child process); the source and its file are then written in one transaction. The
    same bytes twice are one source: the existing one is answered, ``created`` False.
    Raise ValidationError (a sentence per field) on a document that cannot be read.
    """
    limits = limits or upload_limits()
    field = "file" if data is not None else "text"
    try:
        document: ExtractedText = (
            extract(data, filename=file_name or None, limits=limits)
            if data is not None
            else extract_text(text, limits=limits)
        )
    except ExtractionError as error:
        raise ValidationError({field: error.message}) from error
    digest = content_hash(data if data is not None else text.strip().encode("utf-8"))
    existing = Source.objects.filter(content_hash=digest).first()
    if existing is not None:
        return AddedSource(existing, created=False)
    source = Source(
        title=title.strip() or document.title.strip()[:300] or file_name or "Untitled document",
        kind=kind,
        publisher=publisher,
        published_on=published_on,
        url=url,
        file_name=file_name[:255],
        content_type=document.content_type,
        content_hash=digest,
        text=document.text,
        ocr_pages=document.ocr_pages,
        programme=programme,
        is_published=is_published,
        added_by=user if user is not None and user.is_authenticated else None,
        is_verified=True,
    )
    if published_precision:
        source.published_precision = published_precision
    source.slug = unique_slug(source.title)
    source.full_clean(exclude=["file", "slug", "content_hash"])
    try:
        with transaction.atomic():
            if data is not None:
                # Saved inside the transaction: a failed insert leaves no row; the stored
                # file is removed below so it leaves no orphan either.
                source.file.save(file_name or "document", ContentFile(data), save=False)
            source.save()
    except IntegrityError:
        if source.file:
            source.file.storage.delete(source.file.name)
        existing = Source.objects.filter(content_hash=digest).first()
        if existing is None:  # a slug taken meanwhile: a sentence, not a 500
            raise ValidationError(
                {"title": "Another source with this title was added just now; try again."}
            ) from None
        return AddedSource(existing, created=False)
    except Exception:
        if source.file:
            source.file.storage.delete(source.file.name)
        raise
    for hook in SOURCE_ADDED_HOOKS:
        hook(source)
    return AddedSource(source, created=True)


class QuoteNotFound(ValidationError):
    """A quote that is not in the source; ``passage`` and ``locator`` are the closest found."""

    def __init__(self, message: str, *, passage: str = "", locator: str = ""):
        super().__init__({"quote": message})
        self.passage = passage
        self.locator = locator


@dataclass
class QuoteCheck:
    """A quote looked up in a source: where it is, or why it is refused."""

    quote: str
    locator: str


def check_quote(source: Source, quote: str) -> QuoteCheck:
    """Return the quote as the source has it and its locator, or raise ValidationError
    with the closest passage found."""
    if not quote or not quote.strip():
        raise ValidationError({"quote": "Give the passage of the source that supports this."})
    if not source.text.strip():
        raise ValidationError(
            {
                "source": "This source has no text to quote from (it was added before "
                "documents kept their text). Choose another source, or add the document again."
            }
        )
    match = QuoteFinder(source.document).find(quote)
    if not match.found:
        if not match.passage:
            raise QuoteNotFound(NOTHING_CLOSE)
        passage = " ".join(match.passage.split())[:400]
        raise QuoteNotFound(
            NOT_IN_SOURCE.format(locator=match.locator, passage=passage),
            passage=passage,
            locator=str(match.locator),
        )
    return QuoteCheck(quote=source.text[match.start : match.end], locator=str(match.locator))


def citation_create(*, source: Source, record, quote: str) -> Citation:
    """Cite ``source`` for ``record`` with a quote checked against the source's text.

    The stored quote is the passage as the source has it (the officer's spacing and case
    may differ); citing the same passage twice answers the existing citation.
    """
    checked = check_quote(source, quote)
    content_type = ContentType.objects.get_for_model(type(record))
    citation = Citation(
        source=source,
        content_type=content_type,
        object_id=record.pk,
        quote=checked.quote,
        locator=checked.locator,
    )
    citation.full_clean(validate_unique=False, validate_constraints=False)
    same = Citation.objects.filter(
        source=source, content_type=content_type, object_id=record.pk, quote=checked.quote
    )
    try:
        with transaction.atomic():
            citation.save()
    except IntegrityError:  # the same passage cited for this record already
        existing = same.first()
        if existing is None:
            raise
        return existing
    return citation


def source_publish(*, source: Source, published: bool = True) -> Source:
    """Show ``source`` to everyone (or take it back to its programme's officers)."""
    if source.is_published != published:
        source.is_published = published
        source.save(update_fields=["is_published", "modified"])
    return source
