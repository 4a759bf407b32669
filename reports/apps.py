from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Programme reports: the figures, the charts' geometry, the page and its CSV."""

    name = "reports"
    verbose_name = "Programme reports"

    def ready(self):
        # Programmes sit below reports and import nothing of them: the report's page and
        # CSV join the programme's address (same URLs and names) through the registry.
        from core.views.registry import register_model_view
        from programmes.models import Programme
        from reports.views import ProgrammeReportCsvView, ProgrammeReportView

        register_model_view(Programme, "report", ProgrammeReportView)
        register_model_view(Programme, "report_csv", ProgrammeReportCsvView, route="report.csv")
