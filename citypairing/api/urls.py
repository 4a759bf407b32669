"""The API's routes under /api/v1/: resources (plural kebab-case), schema and docs."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from activities.api.views import ActivityViewSet
from cities.api.views import CityViewSet
from contacts.api.views import ContactRoleViewSet, PersonViewSet
from history.api import ChangeFeedView
from partners.api.views import PartnerRequestViewSet
from programmes.api.views import (
    MembershipViewSet,
    NetworkViewSet,
    PairingViewSet,
    ProgrammeViewSet,
    ThematicStreamViewSet,
)
from sources.api.views import CitationCreateView, SourceViewSet
from webhooks.api.views import SubscriptionViewSet

app_name = "api"


def by_resource(router) -> list:
    """Return the router's URLs, each resource's under its own prefix.

    Django tries a list's patterns one by one: a pairing's address was matched against
    every route of the resources registered before it (forty regular expressions, a fifth
    of a detail's Python time). Grouped, a request compares its first segment with each
    prefix and then tries its resource's routes alone. Names, views and addresses are
    the router's own; a list's format suffix (``pairings.csv``) stays as it was, after
    the groups.
    """
    prefixes = [prefix for prefix, _, _ in router.registry]
    groups: dict[str, list] = {prefix: [] for prefix in prefixes}
    loose, suffixes = [], []
    for pattern in router.urls:
        regex = pattern.pattern.regex.pattern
        prefix = next((p for p in prefixes if regex.startswith(f"^{p}/")), None)
        if prefix is None:  # the API's root, a list's format suffix
            (suffixes if regex.startswith(tuple(f"^{p}" for p in prefixes)) else loose).append(
                pattern
            )
            continue
        rest = "^" + regex.removeprefix(f"^{prefix}/")
        groups[prefix].append(re_path(rest, pattern.callback, pattern.default_args, pattern.name))
    grouped = [path(f"{prefix}/", include(routes)) for prefix, routes in groups.items() if routes]
    return [*loose, *grouped, *suffixes]


router = DefaultRouter()
router.register("cities", CityViewSet, basename="city")
router.register("networks", NetworkViewSet, basename="network")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("thematic-streams", ThematicStreamViewSet, basename="thematic-stream")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("activities", ActivityViewSet, basename="activity")
router.register("sources", SourceViewSet, basename="source")
router.register("webhooks", SubscriptionViewSet, basename="webhook")
router.register("contacts", PersonViewSet, basename="person")
router.register("contact-roles", ContactRoleViewSet, basename="contact-role")
router.register("partner-requests", PartnerRequestViewSet, basename="partner-request")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script is served as a file (the site's CSP refuses inline scripts);
    # its own inline styles are allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("citations/", CitationCreateView.as_view(), name="citation-create"),
    *by_resource(router),
]
