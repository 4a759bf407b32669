from django.contrib import admin

from digests.models import DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "time_zone", "last_period", "last_sent_at"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_period", "last_sent_at", "last_items"]
