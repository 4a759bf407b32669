from django.contrib import admin

from cities.admin import CitySearchMixin
from partners.models import PartnerRequest


@admin.register(PartnerRequest)
class PartnerRequestAdmin(CitySearchMixin, admin.ModelAdmin):
    city_search_field = "city"
    """Posts on the seeking-partners board."""

    list_display = ["city", "theme", "programme", "stream", "partner_kind", "deadline", "status"]
    list_filter = ["status", "partner_kind", "programme"]
    search_fields = ["city__name", "theme", "description"]
    autocomplete_fields = ["city", "programme", "stream", "pairing", "created_by", "themes"]
    list_select_related = ["city", "programme", "stream"]
    readonly_fields = ["created", "modified"]
