from django.contrib import admin
from import_export.admin import ImportExportMixin

from activities.models import Activity
from activities.resources import ActivityResource
from cities.admin import CitySearchMixin
from sources.admin import CitationInline


@admin.register(Activity)
class ActivityAdmin(CitySearchMixin, ImportExportMixin, admin.ModelAdmin):
    city_search_field = "cities"
    resource_classes = [ActivityResource]
    list_display = [
        "title",
        "kind",
        "status",
        "start_date",
        "end_date",
        "date_precision",
        "programme",
        "location_city",
    ]
    list_filter = ["kind", "status", "date_precision", "programme"]
    search_fields = ["title", "description", "location", "cities__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = [
        "programme",
        "stream",
        "pairing",
        "location_city",
        "cities",
        "organisers",
        "themes",
    ]
    list_select_related = ["programme", "location_city"]
    inlines = [CitationInline]
    readonly_fields = ["created", "modified"]
