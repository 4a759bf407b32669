"""The API of networks, memberships, programmes, thematic streams and pairings: the shared
battery (tests/api/battery.py) with each one's data."""

from programmes.models import Membership, Network, Pairing, Programme, ThematicStream
from tests import factories
from tests.api.battery import APIResourceBattery


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
