"""Each resource's list and detail, and what a representation embeds."""

import pytest

from tests.api.data import build_registry

RESOURCES = [
    "cities",
    "networks",
    "memberships",
    "programmes",
    "thematic-streams",
    "pairings",
    "activities",
    "sources",
]


@pytest.fixture
def registry(db):
    return build_registry()


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r != "sources"])
def test_every_record_carries_its_citations(api, registry, resource):
    results = api.get(f"/api/v1/{resource}/").json()["results"]
    cited = [record for record in results if record["citations"]]
    assert cited, results
    citation = cited[0]["citations"][0]
    assert citation["source"] == {
        "id": registry.source.pk,
        "slug": "urban-act-report",
        "title": "Urban-Act report",
    }
    assert citation["quote"]


# Resources no anonymous reader sees a record of (personal data: tests/contacts).
NOT_PUBLIC = ["contacts", "contact-roles", "webhooks"]
# Public resources whose records cite no source (a partner request is an officer's post).
UNCITED = ["partner-requests"]


def test_api_root_lists_the_resources(api):
    assert set(api.get("/api/v1/").json()) == set(RESOURCES + NOT_PUBLIC + UNCITED)


def test_pairing_embeds_cities_programme_and_stream(api, registry):
    body = api.get(f"/api/v1/pairings/{registry.pairing.pk}/").json()
    assert body["programme"] == {
        "id": registry.programme.pk,
        "slug": "urban-act",
        "name": "Urban-Act",
    }
    assert body["stream"] == {
        "id": registry.stream.pk,
        "slug": "flood-management",
        "name": "Flood management",
    }
    participants = {p["city"]["name"]: p for p in body["participants"]}
    assert participants["Bangkok"]["role"] == "pilot"
    assert participants["Bangkok"]["city"]["country"] == "TH"
    assert participants["Iloilo"]["city"]["id"] == registry.iloilo.pk
    assert body["url"].endswith(f"/api/v1/pairings/{registry.pairing.pk}/")


def test_activity_embeds_its_cities_and_links(api, registry):
    body = api.get(f"/api/v1/activities/{registry.activity.pk}/").json()
    assert [c["name"] for c in body["cities"]] == ["Bangkok", "Iloilo"]
    assert body["location_city"]["slug"] == "iloilo"
    assert body["pairing"] == {"id": registry.pairing.pk, "title": "Bangkok – Iloilo"}
    assert body["organisers"][0]["slug"] == "citynet"
    assert body["period"] == "10–12 Mar 2026"


def test_programme_embeds_its_networks_and_stream_its_priorities(api, registry):
    programme = api.get(f"/api/v1/programmes/{registry.programme.pk}/").json()
    assert programme["networks"] == [
        {
            "network": {
                "id": registry.network.pk,
                "slug": "citynet",
                "name": "CityNet",
                "acronym": "CN",
            },
            "role": "lead",
        }
    ]
    stream = api.get(f"/api/v1/thematic-streams/{registry.stream.pk}/").json()
    assert stream["priorities"] == ["Nature-based solutions"]
    assert stream["programme"]["slug"] == "urban-act"


def test_non_numeric_id_is_a_404(api, registry):
    assert api.get("/api/v1/cities/bangkok/").status_code == 404
