from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Networks, programmes and pairings"

    def ready(self):
        # The base's pages know no app: this one tells them what only it knows.
        from core.views.lists import register_filter_form_hook
        from core.views.records import register_denied_context
        from programmes.forms import narrow_related_choices
        from programmes.rules import denied_context

        register_filter_form_hook(narrow_related_choices)
        register_denied_context(denied_context)
