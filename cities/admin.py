from django.contrib import admin
from import_export.admin import ImportExportMixin

from cities.models import City, CityAlternativeName
from cities.resources import CityResource
from citypairing.admin_history import RestoreHistoryMixin
from sources.admin import CitationInline


class CityAlternativeNameInline(admin.TabularInline):
    model = CityAlternativeName
    extra = 0


@admin.register(City)
class CityAdmin(RestoreHistoryMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [CityResource]
    list_display = ["name", "country", "admin_area", "kind", "population", "geonames_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "admin_area", "alternative_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityAlternativeNameInline, CitationInline]
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "admin_area", "description"]}),
        ("Gazetteer", {"fields": ["population", "latitude", "longitude", "geonames_id"]}),
        ("Record", {"fields": ["created", "modified"]}),
    ]
