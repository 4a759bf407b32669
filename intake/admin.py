from django.contrib import admin

from intake.models import IntakeRun, Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "kind", "status", "locator", "reviewer", "decided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["key", "quote", "source__title"]
    list_select_related = ["source", "reviewer"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created", "modified", "decided_at", "reviewer", "record_id"]


@admin.register(IntakeRun)
class IntakeRunAdmin(admin.ModelAdmin):
    list_display = ["source", "status", "proposed", "queued_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["source__title", "error"]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created", "modified", "queued_at", "finished_at", "proposed"]
