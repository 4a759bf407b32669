from django.contrib import admin
from django.db.models import Q
from import_export.admin import ImportExportMixin

from cities.models import City, CityAlternativeName
from cities.resources import CityResource
from sources.admin import CitationInline


class CitySearchMixin:
    """Admin search that also finds records through the cities the text means
    (``City.objects.meant_by``: misspellings, alternative names), not only by the
    spelling in ``search_fields``. ``city_search_field`` is the path to the city."""

    city_search_field = ""

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, may_have_duplicates
        cities = City.objects.meant_by(search_term).values("pk")
        by_city = queryset.filter(**{f"{self.city_search_field}__in": cities}).values("pk")
        return found | queryset.filter(pk__in=by_city), may_have_duplicates


class CityAlternativeNameInline(admin.TabularInline):
    model = CityAlternativeName
    extra = 0


@admin.register(City)
class CityAdmin(ImportExportMixin, admin.ModelAdmin):
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

    def get_search_results(self, request, queryset, search_term):
        """Find the cities the text means (``City.objects.meant_by``: misspellings and
        alternative names too; the admin lists them by name, not by relevance), and by
        slug."""
        if not search_term.strip():
            return queryset, False
        found = City.objects.meant_by(search_term).values("pk")
        return queryset.filter(Q(pk__in=found) | Q(slug=search_term.strip().lower())), False
