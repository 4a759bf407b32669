from django.contrib import admin

from followup.models import CalendarSubscription


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "modified"]
    search_fields = ["user__username"]
    # The token is a credential: an admin can delete a subscription, not read its secret.
    exclude = ["token"]
    readonly_fields = ["user", "created", "modified"]

    def has_add_permission(self, request):
        return False
