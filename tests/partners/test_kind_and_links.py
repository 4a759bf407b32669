"""The kind of partner a request asks for, a programme as the theme (twinnings have no
streams), and partners of partners: on small registries built for each rule."""

import pytest

from partners.choices import PartnerKind
from partners.ranking import suggest_partners
from programmes.choices import ParticipantRole
from programmes.models import PairingParticipant
from tests.factories import CityFactory, PairingFactory, ProgrammeFactory, ThematicStreamFactory


def pair(programme, *cities, roles=(), stream=None):
    pairing = PairingFactory(programme=programme, stream=stream, cities=[])
    for index, city in enumerate(cities):
        role = roles[index] if index < len(roles) else ParticipantRole.PARTNER
        PairingParticipant.objects.create(pairing=pairing, city=city, role=role)
    return pairing


@pytest.mark.django_db
def test_a_request_for_a_mentor_puts_the_mentor_first():
    programme = ProgrammeFactory()
    stream = ThematicStreamFactory(programme=programme, name="Typhoon shelter design")
    asking, mentor, peer = (CityFactory(name=n) for n in ("Asker", "Mentorton", "Peerville"))
    participant = ParticipantRole.PARTICIPANT
    pair(
        programme, CityFactory(), mentor, roles=[participant, ParticipantRole.MENTOR], stream=stream
    )
    pair(
        programme, CityFactory(), peer, roles=[participant, ParticipantRole.PARTNER], stream=stream
    )
    ranked = suggest_partners(city=asking, need="typhoon shelter", limit=10)
    by_name = {s.city.name: s for s in ranked}
    # Without a kind, a mentor (3 points) and a partner city (3 points) tie.
    assert by_name["Mentorton"].score == by_name["Peerville"].score
    ranked = suggest_partners(
        city=asking, need="typhoon shelter", limit=10, partner_kind=PartnerKind.MENTOR
    )
    assert ranked[0].city.name == "Mentorton"
    assert "mentor in 1 “typhoon shelter” pairing (mentor with experience sought)" in (
        ranked[0].explanation
    )
    ranked = suggest_partners(
        city=asking, need="typhoon shelter", limit=10, partner_kind=PartnerKind.PEER
    )
    assert ranked[0].city.name == "Peerville"


@pytest.mark.django_db
def test_a_programme_without_streams_is_a_theme_and_partners_of_partners_rise():
    twinning = ProgrammeFactory(name="Twin towns")
    city, partner_a, partner_b = (
        CityFactory(name=n) for n in ("Nordhaven", "Kestrel Bay", "Namura")
    )
    linked, busy = CityFactory(name="Linked"), CityFactory(name="Busy")
    pair(twinning, city, partner_a)
    pair(twinning, city, partner_b)
    pair(twinning, linked, partner_a)
    pair(twinning, linked, partner_b)
    for _ in range(2):  # as many twinnings, none with Newcastle's partners
        pair(twinning, busy, CityFactory())
    ranked = suggest_partners(city=city, programme=twinning, limit=10)
    names = [s.city.name for s in ranked]
    assert names[0] == "Linked"
    assert "partner city of Kestrel Bay, Namura, Nordhaven's partners" in ranked[0].explanation
    assert "partner city in 2 “Twin towns” pairings" in ranked[0].explanation
    # Its partners are listed apart, never suggested.
    assert not {"Kestrel Bay", "Namura", "Nordhaven"} & set(names)


@pytest.mark.django_db
def test_neither_theme_nor_programme_is_a_clear_error():
    with pytest.raises(ValueError, match="Give a thematic stream, a programme or describe"):
        suggest_partners(city=CityFactory())
