"""A small connected registry for the API tests: every resource, linked, with citations."""

import datetime
from types import SimpleNamespace

import pytest

from cities.models import City
from contacts.models import ContactRole, Person
from programmes.choices import PairingStatus, ParticipantRole, ProgrammeRole
from programmes.models import PairingParticipant
from tests import factories


@pytest.fixture
def api_registry(db):
    """The API tests' registry (``build_registry``), for the tests of each app's filters."""
    return build_registry()


def build_registry() -> SimpleNamespace:
    """Create two programmes' worth of linked records; return them by name."""
    r = SimpleNamespace()
    r.network = factories.NetworkFactory(name="CityNet", slug="citynet", acronym="CN")
    r.other_network = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    r.bangkok = factories.CityFactory(name="Bangkok", slug="bangkok", country="TH")
    r.iloilo = factories.CityFactory(name="Iloilo", slug="iloilo", country="PH")
    r.prato = factories.CityFactory(name="Prato", slug="prato", country="IT")
    r.membership = factories.MembershipFactory(network=r.network, city=r.bangkok)
    r.programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    r.other_programme = factories.ProgrammeFactory(name="IUC Asia", slug="iuc-asia")
    factories.ProgrammeNetworkFactory(
        programme=r.programme, network=r.network, role=ProgrammeRole.LEAD
    )
    r.stream = factories.ThematicStreamFactory(
        programme=r.programme, name="Flood management", slug="flood-management"
    )
    factories.StreamPriorityFactory(stream=r.stream, text="Nature-based solutions")
    r.pairing = factories.PairingFactory(
        programme=r.programme,
        stream=r.stream,
        title="Bangkok – Iloilo",
        status=PairingStatus.ACTIVE,
        cities=[],
    )
    PairingParticipant.objects.create(pairing=r.pairing, city=r.bangkok, role=ParticipantRole.PILOT)
    PairingParticipant.objects.create(pairing=r.pairing, city=r.iloilo)
    r.other_pairing = factories.PairingFactory(
        programme=r.other_programme, title="Iloilo – Prato", cities=[r.iloilo, r.prato]
    )
    r.activity = factories.ActivityFactory(
        title="Study visit to Iloilo",
        programme=r.programme,
        stream=r.stream,
        pairing=r.pairing,
        kind="study_visit",
        status="confirmed",
        location_city=r.iloilo,
        start_date=datetime.date(2026, 3, 10),
        end_date=datetime.date(2026, 3, 12),
    )
    r.activity.cities.set([r.bangkok, r.iloilo])
    r.activity.organisers.set([r.network])
    r.other_activity = factories.ActivityFactory(
        title="Workshop in Prato",
        programme=r.other_programme,
        kind="workshop",
        location_city=r.prato,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 31),
        date_precision="month",
    )
    r.other_activity.cities.set([r.prato])
    r.source = factories.SourceFactory(title="Urban-Act report", slug="urban-act-report")
    for record in (r.bangkok, r.network, r.membership, r.programme, r.stream, r.pairing):
        factories.CitationFactory(source=r.source, record=record)
    factories.CitationFactory(source=r.source, record=r.activity)
    r.person = Person.objects.create(
        name="Wanphen Srisuk", organisation_city=r.bangkok, email="wanphen@example.org"
    )
    r.contact_role = ContactRole.objects.create(person=r.person, pairing=r.pairing)
    return r


def add_more(count: int) -> None:
    """Add ``count`` more records of every kind (for query-count tests)."""
    for _ in range(count):
        source = factories.SourceFactory()
        city = factories.CityFactory()
        factories.CityAlternativeNameFactory(city=city)
        factories.CitationFactory(source=source, record=city)
        network = factories.NetworkFactory(city=city)
        factories.MembershipFactory(network=network, city=city)
        programme = factories.ProgrammeFactory()
        factories.ProgrammeNetworkFactory(programme=programme, network=network)
        stream = factories.ThematicStreamFactory(programme=programme)
        factories.StreamPriorityFactory(stream=stream)
        pairing = factories.PairingFactory(programme=programme, stream=stream)
        factories.CitationFactory(source=source, record=pairing)
        activity = factories.ActivityFactory(programme=programme, pairing=pairing)
        activity.cities.set(City.objects.filter(pairing_participations__pairing=pairing))
        activity.organisers.set([network])


def ids(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(record["id"] for record in response.json()["results"])


def both_ways(api, url, name, obj, expected):
    """Filter by ``<name>_id=<pk>`` and by ``<name>=<slug>``; both give ``expected``."""
    assert ids(api, url, **{f"{name}_id": obj.pk}) == sorted(expected)
    assert ids(api, url, **{name: obj.slug}) == sorted(expected)


def errors(response) -> dict:
    body = response.json()
    assert body["detail"]
    return body["errors"]


def pairing_body(programme, cities, **extra):
    return {
        "programme": programme.pk,
        "participants": [
            {"city": c.pk, "role": "pilot" if i == 0 else "partner"} for i, c in enumerate(cities)
        ],
        **extra,
    }
