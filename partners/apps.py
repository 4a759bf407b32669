from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Finding partners: the ranking, the "Find partners" page, the board, the API action."""

    name = "partners"
    verbose_name = "Partner suggestions and the seeking-partners board"

    def ready(self):
        # Cities sit below partners and import nothing of them: this app adds its action to
        # the cities API (before the router, built when the URLs load, lists the actions).
        from cities.api.views import CityViewSet
        from partners.api.views import register_city_actions

        register_city_actions(CityViewSet)
