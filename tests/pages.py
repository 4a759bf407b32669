"""What the page tests of every app share: a registry of a chosen size, an officer and a
reader (fixtures, made available everywhere by tests/conftest.py), the bodies of the
pairing and activity forms, and reading a page's table cells."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils.html import strip_tags

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


def cell_texts(html: str) -> list[str]:
    """Return the text of every table cell of a page, whitespace collapsed."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, flags=re.S)
    return [" ".join(strip_tags(cell).split()) for cell in cells]


def assert_no_dangling_separator(html: str) -> None:
    dangling = [text for text in cell_texts(html) if text.endswith((",", "·"))]
    assert not dangling, dangling


def pairing_data(programme, rows, *, initial=0, **fields):
    """Return the POST data of the pairing form: its fields and participant rows."""
    data = {
        "programme": programme.pk,
        "stream": "",
        "title": "",
        "kind": "programme_pairing",
        "status": PairingStatus.PROPOSED,
        "start_date": "",
        "end_date": "",
        "date_precision": "month",
        "description": "",
        "is_published": "on",
        "is_verified": "on",
        "status_changed_on": "",
        "status_note": "",
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": str(initial),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, (city, role) in enumerate(rows):
        data[f"participants-{index}-city"] = city
        data[f"participants-{index}-role"] = role
        data[f"participants-{index}-note"] = ""
    data.update(fields)
    return data


def activity_data(**fields):
    data = {
        "title": "Online consultation",
        "kind": "online_consultation",
        "status": "planned",
        "start_date": "2026-03-01",
        "end_date": "",
        "date_precision": "day",
        "programme": "",
        "stream": "",
        "pairing": "",
        "location_city": "",
        "location": "Online",
        "cities": [],
        "description": "",
        "outcomes": "",
        "cost_estimate": "",
        "cost_currency": "",
        "is_published": "on",
    }
    data.update(fields)
    return data
