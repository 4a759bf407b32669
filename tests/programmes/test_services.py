import datetime

import pytest
from django.core.exceptions import ValidationError

from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Pairing
from programmes.services import (
    ParticipantSpec,
    pairing_create,
    pairing_set_participants,
    pairing_set_status,
)
from tests.factories import CityFactory, ProgrammeFactory, ThematicStreamFactory

pytestmark = pytest.mark.django_db


def specs(*cities, role=ParticipantRole.PARTNER):
    return [ParticipantSpec(city_id=city.pk, role=role) for city in cities]


def test_pairing_create_makes_participants_title_and_first_status():
    taichung, prato = CityFactory(name="Taichung"), CityFactory(name="Prato")
    pairing = pairing_create(
        programme=ProgrammeFactory(),
        participants=specs(taichung, prato),
        status=PairingStatus.AGREED,
        status_date=datetime.date(2023, 10, 23),
    )
    assert pairing.title == "Taichung – Prato"
    assert {p.city for p in pairing.participants.all()} == {taichung, prato}
    assert [(c.status, c.changed_on) for c in pairing.status_changes.all()] == [
        (PairingStatus.AGREED, datetime.date(2023, 10, 23))
    ]


def test_pairing_create_rejects_a_single_city():
    with pytest.raises(ValidationError, match="at least two cities"):
        pairing_create(programme=ProgrammeFactory(), participants=specs(CityFactory()))
    assert Pairing.objects.count() == 0


def test_pairing_create_rejects_same_city_twice():
    city = CityFactory()
    with pytest.raises(ValidationError, match="cannot be paired with itself"):
        pairing_create(programme=ProgrammeFactory(), participants=specs(city, city))


def test_pairing_create_rejects_cities_already_paired_in_programme_and_stream():
    stream = ThematicStreamFactory()
    a, b = CityFactory(), CityFactory()
    first = pairing_create(programme=stream.programme, stream=stream, participants=specs(a, b))
    with pytest.raises(ValidationError, match=f"#{first.pk}"):
        pairing_create(programme=stream.programme, stream=stream, participants=specs(b, a))
    assert Pairing.objects.count() == 1


def test_pairing_set_participants_replaces_cities_and_roles():
    a, b, c = CityFactory(), CityFactory(), CityFactory()
    pairing = pairing_create(programme=ProgrammeFactory(), participants=specs(a, b))
    pairing_set_participants(
        pairing=pairing,
        participants=[
            ParticipantSpec(city_id=a.pk, role=ParticipantRole.PILOT),
            ParticipantSpec(city_id=c.pk, role=ParticipantRole.POTENTIAL_PARTNER),
        ],
    )
    assert {(p.city, p.role) for p in pairing.participants.all()} == {
        (a, ParticipantRole.PILOT),
        (c, ParticipantRole.POTENTIAL_PARTNER),
    }


def test_pairing_set_participants_rejects_a_set_that_exists_already():
    programme = ProgrammeFactory()
    a, b, c = CityFactory(), CityFactory(), CityFactory()
    pairing_create(programme=programme, participants=specs(a, b))
    other = pairing_create(programme=programme, participants=specs(a, c))
    with pytest.raises(ValidationError, match="already paired"):
        pairing_set_participants(pairing=other, participants=specs(b, a))
    assert {p.city for p in other.participants.all()} == {a, c}


def test_pairing_set_status_records_history():
    pairing = pairing_create(
        programme=ProgrammeFactory(),
        participants=specs(CityFactory(), CityFactory()),
        status_date=datetime.date(2026, 1, 30),
    )
    pairing_set_status(
        pairing=pairing,
        status=PairingStatus.AGREED,
        changed_on=datetime.date(2026, 6, 1),
        note="MoU signed",
    )
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED
    assert [c.status for c in pairing.status_changes.all()] == [
        PairingStatus.PROPOSED,
        PairingStatus.AGREED,
    ]


def test_pairing_set_status_rejects_unknown_status():
    pairing = pairing_create(
        programme=ProgrammeFactory(), participants=specs(CityFactory(), CityFactory())
    )
    with pytest.raises(ValidationError, match="not a pairing status"):
        pairing_set_status(pairing=pairing, status="married")
