"""Fixtures for the page tests: a registry of a chosen size, an officer, a reader."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from programmes.choices import PairingStatus, ParticipantRole, ProgrammeRole
from programmes.models import PairingParticipant, PairingStatusChange
from tests import factories

# The permissions an officer with model-wide rights holds (granted by an admin).
OFFICER_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("pairing", "activity", "city", "programme")
    for action in ("add", "change", "delete", "view")
]


def build_registry(size: int) -> SimpleNamespace:
    """Create a connected registry with ``size`` rows of every kind; return key records."""
    r = SimpleNamespace()
    r.network = factories.NetworkFactory(name="CityNet", slug="citynet", acronym="CN")
    r.programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act", acronym="UA")
    factories.ProgrammeNetworkFactory(
        programme=r.programme, network=r.network, role=ProgrammeRole.LEAD
    )
    r.stream = factories.ThematicStreamFactory(
        programme=r.programme, name="Flood management", slug="flood-management"
    )
    factories.StreamPriorityFactory(stream=r.stream, text="Nature-based solutions", order=1)
    r.wichit = factories.CityFactory(name="Wichit", slug="wichit", country="TH")
    factories.CityAlternativeNameFactory(city=r.wichit, name="Vichit")
    r.iloilo = factories.CityFactory(
        name="Iloilo City", slug="iloilo-city", country="PH", latitude=10.72, longitude=122.56
    )
    factories.MembershipFactory(network=r.network, city=r.wichit)
    r.source = factories.SourceFactory(title="City Pairing Workshop report", slug="workshop")
    factories.CitationFactory(
        source=r.source, record=r.wichit, quote="Wichit Municipality, Phuket Province"
    )
    r.pairing = factories.PairingFactory(
        programme=r.programme,
        stream=r.stream,
        title="Wichit – Iloilo City",
        status=PairingStatus.ACTIVE,
        cities=[],
    )
    PairingParticipant.objects.create(pairing=r.pairing, city=r.wichit, role=ParticipantRole.PILOT)
    PairingParticipant.objects.create(pairing=r.pairing, city=r.iloilo)
    PairingStatusChange.objects.create(
        pairing=r.pairing, status=PairingStatus.ACTIVE, changed_on=datetime.date(2026, 1, 30)
    )
    factories.CitationFactory(source=r.source, record=r.pairing, quote="Wichit with Iloilo")
    r.activity = factories.ActivityFactory(
        title="Study visit to Iloilo",
        programme=r.programme,
        stream=r.stream,
        pairing=r.pairing,
        kind="study_visit",
        location_city=r.iloilo,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
        date_precision="month",
    )
    r.activity.cities.add(r.wichit, r.iloilo)
    r.activity.organisers.add(r.network)
    factories.CitationFactory(source=r.source, record=r.activity, quote="Study visit, Mar–Apr")
    for n in range(size):
        network = factories.NetworkFactory(city=r.wichit)
        city = factories.CityFactory(country="TH" if n % 2 else "PH")
        factories.CityAlternativeNameFactory(city=city)
        factories.MembershipFactory(network=network, city=city)
        factories.MembershipFactory(network=network, city=r.wichit)
        programme = factories.ProgrammeFactory()
        factories.ProgrammeNetworkFactory(programme=programme, network=network)
        stream = factories.ThematicStreamFactory(programme=r.programme)
        factories.StreamPriorityFactory(stream=stream)
        pairing = factories.PairingFactory(
            programme=r.programme, stream=stream, cities=[r.wichit, city, r.iloilo]
        )
        PairingStatusChange.objects.create(
            pairing=pairing, status=pairing.status, changed_on=datetime.date(2025, 1, 1)
        )
        factories.CitationFactory(source=r.source, record=city)
        factories.CitationFactory(record=pairing)
        activity = factories.ActivityFactory(
            programme=r.programme,
            stream=stream,
            pairing=r.pairing,
            location_city=city,
            start_date=datetime.date(2026, 1 + n % 12, 1),
        )
        activity.cities.add(r.wichit, city)
        activity.organisers.add(network)
        factories.ActivityFactory(programme=programme, pairing=pairing)
        factories.CitationFactory(source=r.source, record=activity)
        factories.SourceFactory()
        factories.CitationFactory(source=r.source, record=network)
    return r


@pytest.fixture
def registry(db):
    return build_registry(3)


@pytest.fixture
def officer(db, django_user_model):
    user = django_user_model.objects.create_user("officer", password="a-long-pass-phrase")
    user.user_permissions.set(Permission.objects.filter(codename__in=OFFICER_PERMISSIONS))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def reader_client(client, django_user_model):
    """A logged-in user without any permission."""
    client.force_login(django_user_model.objects.create_user("reader", password="x-pass-99"))
    return client
