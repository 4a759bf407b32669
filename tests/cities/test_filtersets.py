"""The cities' filters, by id and by slug, through the API (the same filterset as the page)."""

import pytest

from tests.api.data import both_ways, ids

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def test_cities_by_network_and_programme(api, api_registry):
    r = api_registry
    both_ways(api, "/api/v1/cities/", "network", r.network, [r.bangkok.pk])
    both_ways(api, "/api/v1/cities/", "programme", r.other_programme, [r.iloilo.pk, r.prato.pk])


def test_cities_by_country_kind_and_q(api, api_registry):
    r = api_registry
    assert ids(api, "/api/v1/cities/", country="PH") == [r.iloilo.pk]
    assert ids(api, "/api/v1/cities/", kind="city") == sorted(
        [r.bangkok.pk, r.iloilo.pk, r.prato.pk]
    )
    assert ids(api, "/api/v1/cities/", q="ILOÍLO") == [r.iloilo.pk]  # case and accents
