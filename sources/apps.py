from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and citations"

    def ready(self):
        from core.views.registry import register_model_view
        from sources.querysets import cited_models
        from sources.views import RecordCiteView

        # "Cite a source" under every record that carries citations, as history does.
        for model in cited_models():
            register_model_view(model, "cite", RecordCiteView)
