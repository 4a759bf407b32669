from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activities"

    def ready(self):
        # Cities and programmes sit below activities and import nothing of them: this app
        # adds the activities to the city, programme, stream and pairing pages.
        from activities import sections
        from cities.models import City
        from core.views.records import register_page_section
        from programmes.models import Pairing, Programme, ThematicStream

        register_page_section(City, sections.city_activities)
        register_page_section(Programme, sections.programme_activities)
        register_page_section(ThematicStream, sections.stream_activities)
        register_page_section(Pairing, sections.pairing_activities)
