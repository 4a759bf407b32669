"""The filters of networks, memberships, programmes, streams and pairings, by id and by
slug, through the API (the same filtersets as the pages)."""

import pytest

from tests.api.data import both_ways, ids

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def test_networks_by_parent_kind_and_q(api, api_registry):
    r = api_registry
    child = type(r.network).objects.create(
        name="CityNet Japan", slug="citynet-japan", parent=r.network
    )
    both_ways(api, "/api/v1/networks/", "parent", r.network, [child.pk])
    assert ids(api, "/api/v1/networks/", kind="city_network") == sorted(
        [r.network.pk, r.other_network.pk, child.pk]
    )
    assert ids(api, "/api/v1/networks/", q="uclg") == [r.other_network.pk]


def test_memberships_by_network_city_country(api, api_registry):
    r = api_registry
    both_ways(api, "/api/v1/memberships/", "network", r.network, [r.membership.pk])
    both_ways(api, "/api/v1/memberships/", "city", r.bangkok, [r.membership.pk])
    assert ids(api, "/api/v1/memberships/", country="TH") == [r.membership.pk]
    assert ids(api, "/api/v1/memberships/", country="IT") == []


def test_programmes_by_network_and_status(api, api_registry):
    r = api_registry
    both_ways(api, "/api/v1/programmes/", "network", r.network, [r.programme.pk])
    assert ids(api, "/api/v1/programmes/", status="active") == sorted(
        [r.programme.pk, r.other_programme.pk]
    )
    assert ids(api, "/api/v1/programmes/", q="iuc") == [r.other_programme.pk]


def test_streams_by_programme(api, api_registry):
    r = api_registry
    both_ways(api, "/api/v1/thematic-streams/", "programme", r.programme, [r.stream.pk])
    assert ids(api, "/api/v1/thematic-streams/", q="nature-based") == [r.stream.pk]


def test_pairings_by_programme_stream_city_network(api, api_registry):
    r = api_registry
    url = "/api/v1/pairings/"
    both_ways(api, url, "programme", r.programme, [r.pairing.pk])
    both_ways(api, url, "stream", r.stream, [r.pairing.pk])
    both_ways(api, url, "city", r.iloilo, [r.pairing.pk, r.other_pairing.pk])
    both_ways(api, url, "network", r.network, [r.pairing.pk])


def test_pairings_by_country_status_kind_and_q(api, api_registry):
    r = api_registry
    url = "/api/v1/pairings/"
    assert ids(api, url, country="IT") == [r.other_pairing.pk]
    assert ids(api, url, status="active") == [r.pairing.pk]
    assert ids(api, url, kind="programme_pairing") == sorted([r.pairing.pk, r.other_pairing.pk])
    assert ids(api, url, q="prato") == [r.other_pairing.pk]
