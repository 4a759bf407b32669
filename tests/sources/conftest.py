"""A programme with an officer, another programme's officer, a tmp media folder, clients."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests import factories
from tests.trust.conftest import token_client

PASSWORD = "a-long-pass-phrase"
NEWS = (
    "Iloilo and Wichit sign a partnership\n"
    "A delegation from the City of Iloilo visited Wichit from March 13 to 16, 2023.\n"
    "The two cities agreed on a pilot for waste-\nsorting in the old town.\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Keep uploaded files in a folder of this test; no rate limits."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


@pytest.fixture
def team(db, django_user_model):
    """Programme A with its officer; programme B with another network's officer."""
    t = SimpleNamespace()
    t.programme = factories.ProgrammeFactory(name="Urban-Act", is_published=True)
    t.other_programme = factories.ProgrammeFactory(name="Clusters", is_published=True)
    t.network = factories.NetworkFactory(name="UCLG ASPAC")
    t.other_network = factories.NetworkFactory(name="CityNet")
    factories.ProgrammeNetworkFactory(programme=t.programme, network=t.network)
    factories.ProgrammeNetworkFactory(programme=t.other_programme, network=t.other_network)
    t.officer = django_user_model.objects.create_user("officer", password=PASSWORD)
    t.other_officer = django_user_model.objects.create_user("other-officer", password=PASSWORD)
    t.reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    NetworkStaff.objects.create(user=t.officer, network=t.network, role=StaffRole.OFFICER)
    NetworkStaff.objects.create(
        user=t.other_officer, network=t.other_network, role=StaffRole.OFFICER
    )
    t.iloilo = factories.CityFactory(name="Iloilo", slug="iloilo", country="PH")
    t.wichit = factories.CityFactory(name="Wichit", slug="wichit", country="TH")
    return t


@pytest.fixture
def officer_api(team):
    return token_client(team.officer)
