from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = "Cities"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.views.choices import choices_changed

        # The map keeps its data until the next change (core.views.choices): the cities'
        # places and local names are part of it.
        for model_name in ("City", "CityAlternativeName"):
            for signal in (post_save, post_delete):
                signal.connect(
                    choices_changed,
                    sender=self.get_model(model_name),
                    dispatch_uid=f"choices:{model_name}",
                )
