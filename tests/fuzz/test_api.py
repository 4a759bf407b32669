"""Every API list's filters and paging, every record address, sent hostile values: no 5xx.

Lists are fuzzed with their filterset's parameters and the API's own (``page``,
``page_size``, ``pagination``, ``cursor``, ``ordering``, ``format``), the change feed
with ``since`` and ``model``, a city's partner suggestions with its search form's
fields; each record address, its history and its partner suggestions with a hostile id.
Anonymous and with an administrator's session, as ``tests/fuzz/test_pages.py`` does
(``FUZZ_FULL=1`` for every value everywhere).
"""

import pytest

from citypairing.api.urls import router
from partners.forms import PartnerSearchForm
from tests.fuzz.conftest import server_errors
from tests.hostile import FULL, hostile_values, sample, with_query

API = "/api/v1/"
PAGING = ("q", "ordering", "page", "page_size", "pagination", "cursor", "format", "limit")
RESOURCES = {prefix: viewset for prefix, viewset, _ in router.registry}


def list_parameters(prefix: str) -> list[str]:
    filterset = getattr(RESOURCES[prefix], "filterset_class", None)  # webhooks have none
    filters = tuple(filterset.base_filters) if filterset is not None else ()
    return list(dict.fromkeys(PAGING + filters))


def endpoints(registry) -> dict[str, list[str]]:
    """Return {address: its parameters} of every list, feed and record action."""
    city = registry.wichit.pk
    found = {f"{API}{prefix}/": list_parameters(prefix) for prefix in RESOURCES}
    found[f"{API}changes/"] = ["since", "model", "page", "page_size", "format"]
    found[f"{API}cities/{city}/partner-suggestions/"] = [*PartnerSearchForm.base_fields, "limit"]
    found[f"{API}cities/{city}/history/"] = ["page", "page_size"]
    found[f"{API}cities/{city}/"] = ["format"]
    return found


def fuzz(clients, urls_by_parameter) -> list[str]:
    """Send each (parameter index, url) by one client in turn, or both with FUZZ_FULL."""
    failures = []
    for position, client in enumerate(clients):
        urls = [
            url
            for turn, url in enumerate(urls_by_parameter)
            if FULL or (turn % len(clients)) == position
        ]
        failures += server_errors(client, urls)
    return failures


@pytest.mark.parametrize("resource", sorted({*RESOURCES, "changes"}))
def test_hostile_parameters_never_make_an_api_list_fail(fuzz_registry, fuzz_clients, resource):
    values = hostile_values()
    failures = []
    for address, parameters in endpoints(fuzz_registry).items():
        if not address.startswith(f"{API}{resource}/"):
            continue
        urls = [
            with_query(address, parameter, value)
            for index, parameter in enumerate(parameters)
            for value in sample(values, index, len(parameters))
        ]
        failures += fuzz((fuzz_clients.anonymous, fuzz_clients.signed_in), urls)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_hostile_record_ids_never_make_an_api_record_fail(fuzz_clients, resource):
    urls = [
        f"{API}{resource}/{value.query}/{action}"
        for value in hostile_values()
        if value.query and "%2F" not in value.query.upper()
        for action in ("", "history/", "partner-suggestions/")
    ]
    failures = fuzz((fuzz_clients.anonymous, fuzz_clients.signed_in), urls)
    assert not failures, "\n".join(failures)
