from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes and SDGs"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.views.choices import choices_changed
        from core.views.lists import register_filter_form_hook
        from themes.views import offer_kept_themes

        register_filter_form_hook(offer_kept_themes)

        # The list pages keep anonymous readers' theme options and facets until the next
        # change (core.views.choices): a theme's name and place are part of them.
        for signal in (post_save, post_delete):
            signal.connect(
                choices_changed, sender=self.get_model("Theme"), dispatch_uid="choices:Theme"
            )
