"""Every page's query parameters, sent hostile values (``tests.hostile``): no 5xx.

Each page is fuzzed with the parameters it reads: its filterset's (lists, calendar, map,
exports), its form's (partner search) and the ones its view reads itself (``month``,
``stale``, ``next``…), plus the common ones (``q``, ``ordering``, ``page``, ``format``),
as an anonymous visitor and as a signed-in administrator.

By default each parameter gets the core values and a share of the others
(``tests.hostile.sample``), each request made by one of the two clients in turn: every
value reaches every page, in a few minutes. ``FUZZ_FULL=1`` sends every value to every
parameter as both clients (an hour).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from cities.filtersets import CityFilterSet
from imports.views import KINDS
from partners.forms import PartnerSearchForm
from programmes.filtersets import PairingFilterSet
from tests.fuzz.conftest import server_errors
from tests.hostile import FULL, hostile_values, sample, with_query

COMMON = ("q", "ordering", "page", "format")
# Parameters a page reads besides its filterset's.
READS = {
    "login": ("next", "username"),
    "activities:calendar": ("month", "year", "view"),
    "activities:activity_create": ("programme", "stream", "pairing", "city"),
    "programmes:programme_report": ("stale",),
    "programmes:programme_report_csv": ("stale",),
    "partners:city_partners": tuple(PartnerSearchForm.base_fields),
    "partners:partner_request_create": ("city", "stream", "theme", "programme"),
    "programmes:stream_options": ("programme", "stream"),
    "programmes:pairing_create": ("programme", "stream", "city"),
    "contacts:contactrole_create": ("person", "city", "network", "programme", "stream", "pairing"),
    "contacts:person_list": ("q", "page"),
    "cities:city_suggest": ("value",),
    # The map's data: the pairing and city filters of the map page.
    "programmes:map_data": tuple(PairingFilterSet.base_filters) + tuple(CityFilterSet.base_filters),
}
# Pages that take no parameters worth sending (a redirect, Django's own account pages).
NOT_FUZZED = {
    "favicon",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "partners:partner_request_close",
    "imports:confirm",
    "followup:calendar_regenerate",  # POST only, then a redirect
}


def page_routes() -> dict[str, str]:
    """Return {url name: route} of every page (not the admin's, not the API's)."""
    routes = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                routes.setdefault(name, prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return {
        name: route
        for name, route in routes.items()
        if not name.startswith(("admin:", "api:")) and name not in NOT_FUZZED
    }


def page_urls(registry) -> dict[str, list[str]]:
    """Return {url name: its addresses for the registry's records}."""
    slugs = {
        "cities": registry.wichit.slug,
        "sources": registry.source.slug,
        "networks": registry.network.slug,
        "programmes": registry.programme.slug,
        "streams": registry.stream.slug,
        "themes": "flood-management",  # the vocabulary's (themes migration 0002)
    }
    pks = {
        "pairings": registry.pairing.pk,
        "activities": registry.activity.pk,
        "partner-requests": registry.request.pk,
        "contacts": registry.person.pk,
        "contacts/roles": registry.contact_role.pk,
    }
    urls = {}
    for name, route in page_routes().items():
        first = "contacts/roles" if route.startswith("contacts/roles/") else route.split("/")[0]
        route = route.replace("<str:token>", "no-such-calendar")
        path = "/" + route.replace("<slug:slug>", str(slugs.get(first, "")))
        path = path.replace("<int:pk>", str(pks.get(first, "")))
        if "<slug:kind>" in path:
            # Every kind; one format (the three read the same filters).
            urls[name] = [
                path.replace("<slug:kind>", kind).replace("<str:fmt>", "csv") for kind in KINDS
            ]
        else:
            urls[name] = [path]
    return urls


def parameters_of(url: str, name: str) -> list[str]:
    """Return the parameters to fuzz on ``url``: common, its filterset's, what it reads."""
    view = getattr(resolve(url.split("?")[0]).func, "view_class", None)
    filterset = getattr(view, "filterset_class", None)
    if name == "imports:export":
        filterset = KINDS[url.split("/")[2]].filterset_class
    if name == "activities:calendar":
        from activities.filtersets import ActivityFilterSet

        filterset = ActivityFilterSet
    filters = tuple(filterset.base_filters) if filterset is not None else ()
    return list(dict.fromkeys(COMMON + filters + READS.get(name, ())))


def test_every_page_is_fuzzed(fuzz_registry):
    """A new page is fuzzed as soon as it is routed (its addresses resolve)."""
    urls = page_urls(fuzz_registry)
    assert "search" in urls and "activities:calendar" in urls
    for name, addresses in urls.items():
        for url in addresses:
            assert "<" not in url, (name, url)
            resolve(url.split("?")[0])


@pytest.mark.parametrize("name", sorted(page_routes()))
def test_hostile_query_parameters_never_make_a_page_fail(fuzz_registry, fuzz_clients, name):
    values = hostile_values()
    clients = (fuzz_clients.anonymous, fuzz_clients.signed_in)
    failures = []
    for url in page_urls(fuzz_registry)[name]:
        parameters = parameters_of(url, name)
        requests = [
            (client, with_query(url, parameter, value))
            for index, parameter in enumerate(parameters)
            for turn, value in enumerate(sample(values, index, len(parameters)))
            for client in (clients if FULL else [clients[(index + turn) % 2]])
        ]
        for client in clients:
            failures += server_errors(client, [url for user, url in requests if user is client])
    assert not failures, "\n".join(failures)
