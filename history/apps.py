from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Reading the change history back: the History pages, the admin restore, the API's."""

    name = "history"
    verbose_name = "Change history"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(install_link_table_triggers, dispatch_uid="history:link-triggers")
        # The apps below import nothing of this one: it registers itself with them.
        from django.contrib import admin

        from core.api.views import register_record_action
        from core.views.registry import register_model_view
        from history.admin import add_restore_to_admins
        from history.api import history
        from history.reading import tracked_models
        from history.views import RecordHistoryView

        for model in tracked_models():
            if model._meta.auto_created:
                continue  # a link table's changes show in its record's history
            register_model_view(model, "history", RecordHistoryView)
        add_restore_to_admins(admin.site)
        register_record_action("history", history)


def install_link_table_triggers(using="default", **kwargs) -> None:
    """Install the history triggers of the many-to-many link tables Django creates (they
    have no migrations to carry them), on those tables that exist."""
    import pgtrigger
    from django.db import connections

    tables = set(connections[using].introspection.table_names())
    for model, trigger in pgtrigger.registered():
        if model._meta.auto_created and model._meta.db_table in tables:
            trigger.install(model, database=using)
