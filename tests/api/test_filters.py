"""Every list filter, by id and by slug, through the API (the same filtersets as the pages)."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity
from cities.models import City
from tests.api.data import build_registry


@pytest.fixture
def registry(db):
    return build_registry()


def ids(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(record["id"] for record in response.json()["results"])


def both_ways(api, url, name, obj, expected):
    """Filter by ``<name>_id=<pk>`` and by ``<name>=<slug>``; both give ``expected``."""
    assert ids(api, url, **{f"{name}_id": obj.pk}) == sorted(expected)
    assert ids(api, url, **{name: obj.slug}) == sorted(expected)


# --- Cities ---------------------------------------------------------------------------


def test_cities_by_network_and_programme(api, registry):
    r = registry
    both_ways(api, "/api/v1/cities/", "network", r.network, [r.bangkok.pk])
    both_ways(api, "/api/v1/cities/", "programme", r.other_programme, [r.iloilo.pk, r.prato.pk])


def test_cities_by_country_kind_and_q(api, registry):
    r = registry
    assert ids(api, "/api/v1/cities/", country="PH") == [r.iloilo.pk]
    assert ids(api, "/api/v1/cities/", kind="city") == sorted(
        [r.bangkok.pk, r.iloilo.pk, r.prato.pk]
    )
    assert ids(api, "/api/v1/cities/", q="ILOÍLO") == [r.iloilo.pk]  # case and accents


# --- Networks, memberships, programmes, streams -----------------------------------------


def test_networks_by_parent_kind_and_q(api, registry):
    r = registry
    child = type(r.network).objects.create(
        name="CityNet Japan", slug="citynet-japan", parent=r.network
    )
    both_ways(api, "/api/v1/networks/", "parent", r.network, [child.pk])
    assert ids(api, "/api/v1/networks/", kind="city_network") == sorted(
        [r.network.pk, r.other_network.pk, child.pk]
    )
    assert ids(api, "/api/v1/networks/", q="uclg") == [r.other_network.pk]


def test_memberships_by_network_city_country(api, registry):
    r = registry
    both_ways(api, "/api/v1/memberships/", "network", r.network, [r.membership.pk])
    both_ways(api, "/api/v1/memberships/", "city", r.bangkok, [r.membership.pk])
    assert ids(api, "/api/v1/memberships/", country="TH") == [r.membership.pk]
    assert ids(api, "/api/v1/memberships/", country="IT") == []


def test_programmes_by_network_and_status(api, registry):
    r = registry
    both_ways(api, "/api/v1/programmes/", "network", r.network, [r.programme.pk])
    assert ids(api, "/api/v1/programmes/", status="active") == sorted(
        [r.programme.pk, r.other_programme.pk]
    )
    assert ids(api, "/api/v1/programmes/", q="iuc") == [r.other_programme.pk]


def test_streams_by_programme(api, registry):
    r = registry
    both_ways(api, "/api/v1/thematic-streams/", "programme", r.programme, [r.stream.pk])
    assert ids(api, "/api/v1/thematic-streams/", q="nature-based") == [r.stream.pk]


# --- Pairings --------------------------------------------------------------------------


def test_pairings_by_programme_stream_city_network(api, registry):
    r = registry
    url = "/api/v1/pairings/"
    both_ways(api, url, "programme", r.programme, [r.pairing.pk])
    both_ways(api, url, "stream", r.stream, [r.pairing.pk])
    both_ways(api, url, "city", r.iloilo, [r.pairing.pk, r.other_pairing.pk])
    both_ways(api, url, "network", r.network, [r.pairing.pk])


def test_pairings_by_country_status_kind_and_q(api, registry):
    r = registry
    url = "/api/v1/pairings/"
    assert ids(api, url, country="IT") == [r.other_pairing.pk]
    assert ids(api, url, status="active") == [r.pairing.pk]
    assert ids(api, url, kind="programme_pairing") == sorted([r.pairing.pk, r.other_pairing.pk])
    assert ids(api, url, q="prato") == [r.other_pairing.pk]


def test_repeated_parameter_means_any_of(api, registry):
    r = registry
    response = api.get("/api/v1/pairings/?status=active&status=proposed")
    assert response.json()["count"] == 2
    assert ids(api, "/api/v1/cities/", country=["TH", "IT"]) == sorted([r.bangkok.pk, r.prato.pk])


# --- Activities ------------------------------------------------------------------------


def test_activities_by_relations(api, registry):
    r = registry
    url = "/api/v1/activities/"
    both_ways(api, url, "programme", r.programme, [r.activity.pk])
    both_ways(api, url, "stream", r.stream, [r.activity.pk])
    both_ways(api, url, "city", r.prato, [r.other_activity.pk])
    both_ways(api, url, "network", r.network, [r.activity.pk])
    assert ids(api, url, pairing_id=r.pairing.pk) == [r.activity.pk]
    assert ids(api, url, country="PH") == [r.activity.pk]


def test_activities_by_kind_status_and_q(api, registry):
    r = registry
    url = "/api/v1/activities/"
    assert ids(api, url, kind="workshop") == [r.other_activity.pk]
    assert ids(api, url, status="confirmed") == [r.activity.pk]
    assert ids(api, url, q="study visit") == [r.activity.pk]


def test_activities_by_date_range_and_month(api, registry):
    r = registry
    url = "/api/v1/activities/"
    assert ids(api, url, start_after="2026-04-01") == [r.other_activity.pk]
    assert ids(api, url, start_before="2026-03-31") == [r.activity.pk]
    assert ids(api, url, start_after="2026-03-10", start_before="2026-03-10") == [r.activity.pk]
    # The month-precise May workshop overlaps May; the March visit overlaps March.
    assert ids(api, url, month="2026-05") == [r.other_activity.pk]
    assert ids(api, url, month="2026-03") == [r.activity.pk]
    assert ids(api, url, month="2026-04") == []


# --- Sources, modified_since, ordering -----------------------------------------------------


def test_sources_by_kind_verified_and_q(api, registry):
    r = registry
    assert ids(api, "/api/v1/sources/", kind="other") == [r.source.pk]
    assert ids(api, "/api/v1/sources/", is_verified="false") == []
    assert ids(api, "/api/v1/sources/", q="urban-act") == [r.source.pk]


def test_modified_since_returns_only_what_changed(api, registry):
    r = registry
    cutoff = timezone.now() + datetime.timedelta(seconds=1)
    City.objects.filter(pk=r.prato.pk).update(modified=cutoff + datetime.timedelta(minutes=1))
    Activity.objects.filter(pk=r.activity.pk).update(modified=cutoff + datetime.timedelta(hours=1))
    stamp = cutoff.isoformat()
    assert ids(api, "/api/v1/cities/", modified_since=stamp) == [r.prato.pk]
    assert ids(api, "/api/v1/activities/", modified_since=stamp) == [r.activity.pk]
    assert ids(api, "/api/v1/pairings/", modified_since=stamp) == []


def test_ordering_and_its_reverse(api, registry):
    names = [c["name"] for c in api.get("/api/v1/cities/?ordering=-name").json()["results"]]
    assert names == ["Prato", "Iloilo", "Bangkok"]
    titles = [
        a["title"] for a in api.get("/api/v1/activities/?ordering=-start_date").json()["results"]
    ]
    assert titles == ["Workshop in Prato", "Study visit to Iloilo"]


def test_ties_in_ordering_are_broken_by_id(api, db):
    from tests import factories

    cities = [factories.CityFactory(name="Same", slug=f"same-{n}") for n in range(5)]
    for size in (1, 2):
        walked = []
        for page in range(1, 6 // size + 1):
            response = api.get(f"/api/v1/cities/?ordering=name&page_size={size}&page={page}")
            if response.status_code == 404:
                break
            walked += [c["id"] for c in response.json()["results"]]
        assert walked == [c.pk for c in cities]


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/pairings/?status=bogus", "status"),
        ("/api/v1/pairings/?programme=no-such-programme", "programme"),
        ("/api/v1/pairings/?programme_id=abc", "programme_id"),
        ("/api/v1/pairings/?programme_id=99999999", "programme_id"),
        ("/api/v1/cities/?country=XX", "country"),
        ("/api/v1/activities/?start_after=2026-13-01", "start_after"),
        ("/api/v1/activities/?start_before=yesterday", "start_before"),
        ("/api/v1/activities/?month=2026-3-x", "month"),
        ("/api/v1/cities/?modified_since=not-a-date", "modified_since"),
        ("/api/v1/cities/?ordering=password", "ordering"),
    ],
)
def test_bad_filter_values_are_400_with_a_message(api, registry, url, parameter):
    response = api.get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert parameter in body["errors"], body


@pytest.mark.django_db
def test_activity_date_range_the_wrong_way_round_is_a_clear_400(client):
    response = client.get("/api/v1/activities/?start_after=2026-05-01&start_before=2026-03-01")
    assert response.status_code == 400
    assert "swap the dates" in response.content.decode()


@pytest.mark.django_db
def test_a_yes_no_filter_refuses_other_values(client):
    response = client.get("/api/v1/pairings/?is_verified=maybe")
    assert response.status_code == 400
    assert "Use true or false" in response.content.decode()
    assert client.get("/api/v1/pairings/?is_verified=false").status_code == 200
    assert client.get("/api/v1/sources/?is_verified=true").status_code == 200
