"""The filters of networks, memberships, programmes, streams and pairings, by id and by
slug, through the API (the same filtersets as the pages)."""

import pytest

from tests import factories
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


def test_pairing_search_matches_title_city_programme_and_stream(api, api_registry):
    r = api_registry
    url = "/api/v1/pairings/"
    assert ids(api, url, q="BANGKOK – ilo") == [r.pairing.pk]  # title, case aside
    assert sorted(ids(api, url, q="iloílo")) == sorted([r.pairing.pk, r.other_pairing.pk])
    assert ids(api, url, q="iuc asia") == [r.other_pairing.pk]  # programme
    assert ids(api, url, q="flood") == [r.pairing.pk]  # stream


def test_a_pairing_matched_several_ways_is_listed_once(api, api_registry):
    r = api_registry
    # "Iloilo" is in the title of both pairings and is a city of both.
    response = api.get("/api/v1/pairings/", {"q": "Iloilo"})
    assert response.json()["count"] == 2
    assert sorted(ids(api, "/api/v1/pairings/", q="Iloilo")) == sorted(
        [r.pairing.pk, r.other_pairing.pk]
    )


def test_membership_network_programme_and_stream_search(api, api_registry):
    r = api_registry
    assert ids(api, "/api/v1/memberships/", q="bangkók") == [r.membership.pk]
    member = factories.MembershipFactory(
        network=r.network, city=None, member_network=r.other_network
    )
    assert ids(api, "/api/v1/memberships/", q="aspac") == [member.pk]
    assert ids(api, "/api/v1/networks/", q="citynét") == [r.network.pk]
    assert ids(api, "/api/v1/programmes/", q="URBAN") == [r.programme.pk]
    # The stream's own name, and the text of one of its priorities.
    assert ids(api, "/api/v1/thematic-streams/", q="flood") == [r.stream.pk]
    assert ids(api, "/api/v1/thematic-streams/", q="nature-based") == [r.stream.pk]
