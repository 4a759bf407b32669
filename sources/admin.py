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
    list_display = ["title", "kind", "publisher", "published_on", "seed_file", "is_verified"]
    list_filter = ["kind", "is_verified"]
    search_fields = ["title", "publisher", "seed_file", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes"]
    readonly_fields = ["created", "modified"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "content_type", "object_id", "locator"]
    list_filter = ["source", "content_type"]
    search_fields = ["quote", "locator"]
    list_select_related = ["source", "content_type"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created", "modified"]
