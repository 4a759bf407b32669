"""The API of networks, memberships, programmes, thematic streams and pairings: the shared
battery (tests/api/battery.py) with each one's data, their own write rules (pairings go
through the services) and what they embed."""

import pytest

from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingStatusChange,
    Programme,
    ThematicStream,
)
from tests import factories
from tests.api.battery import APIResourceBattery
from tests.api.data import errors, pairing_body

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def bonn(world):
    """Return the city the create bodies name (made once per test)."""
    if not hasattr(world, "bonn"):
        world.bonn = factories.CityFactory(name="Bonn", slug="bonn", country="DE")
    return world.bonn


def draft_programme(world):
    """Return an unpublished programme that network A runs (its officer sees it)."""
    draft = factories.ProgrammeFactory(name="Draft", slug="draft", is_published=False)
    factories.ProgrammeNetworkFactory(programme=draft, network=world.network_a)
    return draft


class TestNetworkAPI(APIResourceBattery):
    resource = "networks"
    model = Network

    def make(self, world):
        return factories.NetworkFactory(name="ICLEI", slug="iclei")

    def create_data(self, world):
        world.city = bonn(world)
        return {"name": "Eurocities", "slug": "eurocities", "city": world.city.pk}

    def update_data(self, world):
        return {"acronym": "ICLEI-SEAS"}

    def assert_created(self, body, record, world):
        assert body["city"]["id"] == world.city.pk


class TestMembershipAPI(APIResourceBattery):
    resource = "memberships"
    model = Membership

    def make(self, world):
        return factories.MembershipFactory(network=world.network_a)

    def create_data(self, world):
        world.city = bonn(world)
        return {"network": world.network_a.pk, "city": world.city.pk, "member_type": "associate"}

    def update_data(self, world):
        return {"member_type": "corporate"}

    def assert_created(self, body, record, world):
        assert record.member_type == "associate"
        assert record.city == world.city


class TestProgrammeAPI(APIResourceBattery):
    resource = "programmes"
    model = Programme

    def make(self, world):
        return factories.ProgrammeFactory(name="IUC Asia", slug="iuc-asia")

    def make_hidden(self, world):
        return draft_programme(world)

    def create_data(self, world):
        return {"name": "Urban-Act II", "slug": "urban-act-ii", "start_date": "2024-01-01"}

    def update_data(self, world):
        return {"description": "City-to-city learning on urban resilience."}


class TestThematicStreamAPI(APIResourceBattery):
    resource = "thematic-streams"
    model = ThematicStream
    programme_scoped = True

    def make(self, world):
        return factories.ThematicStreamFactory(programme=world.programme_a, name="Heat")

    def make_hidden(self, world):
        return factories.ThematicStreamFactory(programme=draft_programme(world), name="Hidden")

    def create_data(self, world):
        return {"programme": world.programme_a.pk, "name": "Floods", "slug": "floods"}

    def update_data(self, world):
        return {"name": "Floods and droughts"}

    def assert_created(self, body, record, world):
        assert body["programme"]["slug"] == "urban-act"


class TestPairingAPI(APIResourceBattery):
    resource = "pairings"
    model = Pairing
    programme_scoped = True

    def make(self, world):
        return factories.PairingFactory(programme=world.programme_a, title="Wichit – Iloilo")

    def make_hidden(self, world):
        return factories.PairingFactory(
            programme=world.programme_a, title="Draft pairing", is_published=False
        )

    def create_data(self, world):
        if not hasattr(world, "cities"):
            world.cities = factories.CityFactory.create_batch(2)
        return {
            "programme": world.programme_a.pk,
            "participants": [
                {"city": world.cities[0].pk, "role": "pilot"},
                {"city": world.cities[1].pk},
            ],
        }

    def update_data(self, world):
        return {"description": "Flood early warning between neighbours."}

    def assert_created(self, body, record, world):
        assert {p["city"]["id"] for p in body["participants"]} == {c.pk for c in world.cities}
        assert record.status_changes.count() == 1


def test_membership_runs_the_models_clean(editor_api, db):
    network = factories.NetworkFactory()
    response = editor_api.post("/api/v1/memberships/", {"network": network.pk}, format="json")
    assert response.status_code == 400
    assert "Choose either a city or an organisation" in errors(response)["city"][0]
    assert not Membership.objects.exists()


def test_programme_end_before_start_is_refused_on_the_field(editor_api, db):
    response = editor_api.post(
        "/api/v1/programmes/",
        {"name": "P", "slug": "p", "start_date": "2026-01-01", "end_date": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert errors(response)["end_date"] == ["The end date cannot be before the start date."]


def test_pairing_create_names_it_and_records_its_status(editor_api, db):
    programme = factories.ProgrammeFactory()
    taichung = factories.CityFactory(name="Taichung")
    prato = factories.CityFactory(name="Prato")
    response = editor_api.post(
        "/api/v1/pairings/",
        pairing_body(programme, [taichung, prato], status="agreed"),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Taichung – Prato"
    assert body["status_changes"][0]["status"] == "agreed"
    assert {p["city"]["name"]: p["role"] for p in body["participants"]} == {
        "Taichung": "pilot",
        "Prato": "partner",
    }


def test_pairing_needs_two_different_cities(editor_api, db):
    programme = factories.ProgrammeFactory()
    city = factories.CityFactory()
    one = editor_api.post("/api/v1/pairings/", pairing_body(programme, [city]), format="json")
    assert one.status_code == 400
    assert "at least two cities" in errors(one)["participants"][0]
    twice = editor_api.post(
        "/api/v1/pairings/", pairing_body(programme, [city, city]), format="json"
    )
    assert twice.status_code == 400
    assert "appears twice" in errors(twice)["participants"][0]
    assert not Pairing.objects.exists()


def test_the_same_cities_are_paired_once_per_programme(editor_api, db):
    existing = factories.PairingFactory()
    cities = list(existing.cities.all())
    response = editor_api.post(
        "/api/v1/pairings/", pairing_body(existing.programme, cities), format="json"
    )
    assert response.status_code == 400
    assert "already paired" in errors(response)["participants"][0]
    assert Pairing.objects.count() == 1


def test_pairing_update_changes_participants_and_status_history(editor_api, db):
    pairing = factories.PairingFactory(status="proposed")
    newcomer = factories.CityFactory()
    keep = pairing.cities.first()
    response = editor_api.patch(
        f"/api/v1/pairings/{pairing.pk}/",
        {
            "status": "active",
            "participants": [{"city": keep.pk}, {"city": newcomer.pk, "role": "mentor"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert sorted(p["city"]["id"] for p in body["participants"]) == sorted([keep.pk, newcomer.pk])
    assert PairingStatusChange.objects.filter(pairing=pairing, status="active").exists()


def test_pairing_stream_must_belong_to_its_programme(editor_api, db):
    programme = factories.ProgrammeFactory()
    stream = factories.ThematicStreamFactory()
    response = editor_api.post(
        "/api/v1/pairings/",
        pairing_body(programme, factories.CityFactory.create_batch(2), stream=stream.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "stream" in errors(response)


def test_pairing_embeds_cities_programme_and_stream(api, api_registry):
    body = api.get(f"/api/v1/pairings/{api_registry.pairing.pk}/").json()
    assert body["programme"] == {
        "id": api_registry.programme.pk,
        "slug": "urban-act",
        "name": "Urban-Act",
    }
    assert body["stream"] == {
        "id": api_registry.stream.pk,
        "slug": "flood-management",
        "name": "Flood management",
    }
    participants = {p["city"]["name"]: p for p in body["participants"]}
    assert participants["Bangkok"]["role"] == "pilot"
    assert participants["Bangkok"]["city"]["country"] == "TH"
    assert participants["Iloilo"]["city"]["id"] == api_registry.iloilo.pk
    assert body["url"].endswith(f"/api/v1/pairings/{api_registry.pairing.pk}/")


def test_programme_embeds_its_networks_and_stream_its_priorities(api, api_registry):
    programme = api.get(f"/api/v1/programmes/{api_registry.programme.pk}/").json()
    assert programme["networks"] == [
        {
            "network": {
                "id": api_registry.network.pk,
                "slug": "citynet",
                "name": "CityNet",
                "acronym": "CN",
            },
            "role": "lead",
        }
    ]
    stream = api.get(f"/api/v1/thematic-streams/{api_registry.stream.pk}/").json()
    assert stream["priorities"] == ["Nature-based solutions"]
    assert stream["programme"]["slug"] == "urban-act"
