from django.contrib import admin

from webhooks.models import Delivery, Subscription


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    ordering = ["-created"]
    fields = ["created", "event_id", "status", "attempts", "response_status", "error"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "is_active", "failure_count", "programme", "network"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__username"]
    raw_id_fields = ["owner", "programme", "network"]
    readonly_fields = ["failure_count", "disabled_reason", "created", "modified"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created", "subscription", "event_id", "status", "attempts", "response_status"]
    list_filter = ["status"]
    search_fields = ["event_id", "subscription__url"]
    list_select_related = ["subscription__owner"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
