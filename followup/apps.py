from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """An officer's own work: what needs following up ("My work"), and their calendar."""

    name = "followup"
    verbose_name = "Follow-up"

    def ready(self):
        from core.views.panels import register_record_panel
        from followup.panels import report_panel

        register_record_panel("report", report_panel)
