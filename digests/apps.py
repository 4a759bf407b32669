from django.apps import AppConfig


class DigestsConfig(AppConfig):
    """E-mail digests: each officer's My-work items that changed, weekly or daily."""

    name = "digests"
    verbose_name = "E-mail digests"

    def ready(self):
        from core.views.panels import register_record_panel
        from digests.panels import my_work_panel

        register_record_panel("my_work", my_work_panel)
