from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and citations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.views.choices import choices_changed
        from core.views.registry import register_model_view
        from sources.querysets import cited_models
        from sources.views import RecordCiteView

        # "Cite a source" under every record that carries citations, as history does.
        for model in cited_models():
            register_model_view(model, "cite", RecordCiteView)
        # The dashboard keeps anonymous readers' latest sources and quotes, and their
        # counts, until the next change (core.views.choices).
        for model_name in ("Source", "Citation"):
            for signal in (post_save, post_delete):
                signal.connect(
                    choices_changed,
                    sender=self.get_model(model_name),
                    dispatch_uid=f"choices:{model_name}",
                )
