"""Two networks, each running a programme; an officer of the first; a partner; tokens."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests import factories
from tests.helpers import token_client  # noqa: F401 (tests import it from here)


@pytest.fixture(autouse=True)
def _without_rate_limits(no_throttling):
    """The API's rate limits are off (tests/conftest.py; the throttling test switches them
    back on)."""


def build_world(django_user_model) -> SimpleNamespace:
    """Network A (UCLG ASPAC) runs Urban-Act; network B (CityNet) runs Clusters.

    The officer works for A: they may edit Urban-Act's pairings, activities and streams,
    and nothing of Clusters. Each programme has a published and an unpublished pairing.
    """
    w = SimpleNamespace()
    w.network_a = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    w.network_b = factories.NetworkFactory(name="CityNet", slug="citynet")
    w.programme_a = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    w.programme_b = factories.ProgrammeFactory(name="Clusters", slug="clusters")
    factories.ProgrammeNetworkFactory(programme=w.programme_a, network=w.network_a)
    factories.ProgrammeNetworkFactory(programme=w.programme_b, network=w.network_b)
    w.wichit = factories.CityFactory(name="Wichit", slug="wichit", country="TH")
    w.iloilo = factories.CityFactory(name="Iloilo City", slug="iloilo-city", country="PH")
    w.makati = factories.CityFactory(name="Makati", slug="makati", country="PH")
    w.lalitpur = factories.CityFactory(name="Lalitpur", slug="lalitpur", country="NP")
    w.pairing_a = factories.PairingFactory(
        programme=w.programme_a, title="Wichit – Iloilo City", cities=[w.wichit, w.iloilo]
    )
    w.hidden_a = factories.PairingFactory(
        programme=w.programme_a,
        title="Wichit – Makati draft",
        cities=[w.wichit, w.makati],
        is_published=False,
    )
    w.pairing_b = factories.PairingFactory(
        programme=w.programme_b, title="Lalitpur – Makati", cities=[w.lalitpur, w.makati]
    )
    w.hidden_b = factories.PairingFactory(
        programme=w.programme_b,
        title="Lalitpur – Iloilo City draft",
        cities=[w.lalitpur, w.iloilo],
        is_published=False,
    )
    w.activity_a = factories.ActivityFactory(programme=w.programme_a, title="Study visit A")
    w.activity_b = factories.ActivityFactory(programme=w.programme_b, title="Webinar B")
    w.hidden_activity_b = factories.ActivityFactory(
        programme=w.programme_b, title="Secret workshop B", is_published=False
    )
    w.stream_a = factories.ThematicStreamFactory(programme=w.programme_a, name="Floods A")
    w.stream_b = factories.ThematicStreamFactory(programme=w.programme_b, name="Heat B")

    w.officer = django_user_model.objects.create_user("officer-a", password="a-long-pass-99")
    NetworkStaff.objects.create(user=w.officer, network=w.network_a, role=StaffRole.OFFICER)
    w.partner = django_user_model.objects.create_user("partner-a", password="a-long-pass-99")
    NetworkStaff.objects.create(user=w.partner, network=w.network_a, role=StaffRole.PARTNER)
    w.admin = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "a-long-pass-99"
    )
    return w


@pytest.fixture
def world(db, django_user_model):
    return build_world(django_user_model)


@pytest.fixture
def officer_b(world, django_user_model):
    """An officer of network B (CityNet), which runs Clusters."""
    user = django_user_model.objects.create_user("officer-b", password="a-long-pass-99")
    NetworkStaff.objects.create(user=user, network=world.network_b, role=StaffRole.OFFICER)
    return user


@pytest.fixture
def officer_api(world):
    return token_client(world.officer)


@pytest.fixture
def partner_api(world):
    return token_client(world.partner)


@pytest.fixture
def admin_api(world):
    return token_client(world.admin)


@pytest.fixture
def anonymous_api(db):
    return APIClient()
