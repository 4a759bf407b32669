from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Reading the change history back: the History pages, the admin restore, the API's."""

    name = "history"
    verbose_name = "Change history"

    def ready(self):
        # The apps below import nothing of this one: it registers itself with them.
        from django.contrib import admin

        from core.api.views import register_record_action
        from core.views.registry import register_model_view
        from history.admin import add_restore_to_admins
        from history.api import history
        from history.reading import tracked_models
        from history.views import RecordHistoryView

        for model in tracked_models():
            register_model_view(model, "history", RecordHistoryView)
        add_restore_to_admins(admin.site)
        register_record_action("history", history)
