from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from sources.models import Citation, Source


class CitationInline(GenericTabularInline):
    """Citations of any record, edited on that record's admin page."""

    model = Citation
    extra = 0
    fields = ["source", "quote", "locator"]
    autocomplete_fields = ["source"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "publisher",
        "published_on",
        "programme",
        "is_published",
        "is_verified",
    ]
    list_filter = ["kind", "is_verified", "is_published", "programme"]
    search_fields = ["title", "publisher", "seed_file", "url", "content_hash"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["programme", "themes"]
    # What the upload made: the file, what it is and its text are the document's own.
    readonly_fields = [
        "created",
        "modified",
        "file",
        "file_name",
        "content_type",
        "content_hash",
        "ocr_pages",
        "added_by",
        "text",
    ]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "content_type", "object_id", "locator"]
    list_filter = ["source", "content_type"]
    search_fields = ["quote", "locator"]
    list_select_related = ["source", "content_type"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created", "modified"]
