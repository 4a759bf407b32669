from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Networks, programmes and pairings"

    def ready(self):
        # The base's pages and the cities below know no programme: this app tells them
        # what only it knows (the city lists' filters and the city page's sections).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cities.filtersets import CityFilterSet
        from cities.models import City
        from core.views.choices import choices_changed
        from core.views.lists import register_filter_form_hook
        from core.views.records import register_denied_context, register_page_section
        from programmes.filtersets import add_city_filters
        from programmes.forms import narrow_related_choices
        from programmes.rules import denied_context
        from programmes.sections import city_programmes

        register_filter_form_hook(narrow_related_choices)
        register_denied_context(denied_context)
        add_city_filters(CityFilterSet)
        register_page_section(City, city_programmes, kept=True)
        # The filter panels keep anonymous readers' lists of programmes, and of the
        # streams and networks of chosen programmes; the map keeps its data (pairings, their
        # cities and themes); the city page its memberships, stream roles and pairings: a
        # change to any of these (or to which networks take part in which programme) makes
        # every process read them again.
        for model_name in (
            "Programme",
            "ThematicStream",
            "Network",
            "ProgrammeNetwork",
            "Pairing",
            "PairingParticipant",
            "Membership",
            "StreamMember",
        ):
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(choices_changed, sender=model, dispatch_uid=f"choices:{model_name}")
        m2m_changed.connect(
            choices_changed,
            sender=self.get_model("Pairing").themes.through,
            dispatch_uid="choices:pairing-themes",
        )
