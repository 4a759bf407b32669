from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activities"

    def ready(self):
        # Cities and programmes sit below activities and import nothing of them: this app
        # adds the activities to the city, programme, stream and pairing pages.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from activities import sections
        from cities.models import City
        from core.views.choices import choices_changed
        from core.views.records import register_page_section
        from programmes.models import Pairing, Programme, ThematicStream

        register_page_section(City, sections.city_activities, kept=True)
        register_page_section(Programme, sections.programme_activities)
        register_page_section(ThematicStream, sections.stream_activities)
        register_page_section(Pairing, sections.pairing_activities)
        # The dashboard keeps anonymous readers' figures and lists, the list pages their
        # theme facets and the city page its activities, until the next change
        # (core.views.choices): activities, their themes and cities are part of them.
        activity = self.get_model("Activity")
        for signal in (post_save, post_delete):
            signal.connect(choices_changed, sender=activity, dispatch_uid="choices:Activity")
        m2m_changed.connect(
            choices_changed, sender=activity.themes.through, dispatch_uid="choices:activity-themes"
        )
        # The city page keeps anonymous readers' activities in or with the city.
        m2m_changed.connect(
            choices_changed, sender=activity.cities.through, dispatch_uid="choices:activity-cities"
        )
