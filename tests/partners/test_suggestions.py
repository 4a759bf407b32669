"""Partner suggestions and the seeking-partners board, on hand-made data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partners.choices import PartnerRequestStatus
from partners.models import PartnerRequest
from partners.ranking import PartnerFilters, current_partners, suggest_partners
from partners.services import partner_request_to_pairing
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import PairingParticipant
from tests.factories import (
    ActivityFactory,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PairingFactory,
    StreamPriorityFactory,
    ThematicStreamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_db(db):
    """Build this module's own data instead of the folder's seed (tests/partners/conftest.py)."""


def city(name, country, lat, lng):
    return CityFactory(name=name, country=country, latitude=Decimal(lat), longitude=Decimal(lng))


@pytest.fixture
def waste():
    """A waste stream: Khon Kaen the pilot, Malang a potential partner; Hat Yai, which
    asks for partners, in none of its pairings."""
    stream = ThematicStreamFactory(name="Waste Management and Circular Economy")
    hat_yai = city("Hat Yai", "TH", "7.008", "100.476")
    khon_kaen = city("Khon Kaen", "TH", "16.446", "102.833")
    malang = city("Malang", "ID", "-7.979", "112.630")
    seoul = city("Seoul", "KR", "37.566", "126.978")  # no waste experience
    pairing = PairingFactory(programme=stream.programme, stream=stream, cities=[])
    for c, role in ((khon_kaen, "pilot"), (malang, "potential_partner")):
        PairingParticipant.objects.create(pairing=pairing, city=c, role=role)
    citynet = NetworkFactory(name="CityNet", acronym="CityNet")
    for member in (hat_yai, seoul):
        MembershipFactory(network=citynet, city=member)
    return {
        "stream": stream,
        "hat_yai": hat_yai,
        "khon_kaen": khon_kaen,
        "malang": malang,
        "seoul": seoul,
    }


def test_cities_with_experience_in_the_stream_rank_above_those_without(waste):
    ranked = suggest_partners(city=waste["hat_yai"], stream=waste["stream"])
    names = [s.city.name for s in ranked]
    assert names.index("Khon Kaen") < names.index("Seoul")
    assert names.index("Malang") < names.index("Seoul")
    assert "Hat Yai" not in names


def test_each_suggestion_explains_itself_in_words(waste):
    ranked = {
        s.city.name: s for s in suggest_partners(city=waste["hat_yai"], stream=waste["stream"])
    }
    khon_kaen = ranked["Khon Kaen"].explanation
    assert "pilot / host city in 1 “Waste Management and Circular Economy” pairing" in khon_kaen
    assert "km away" in khon_kaen
    assert ranked["Malang"].explanation.startswith(
        "potential partner in 1 “Waste Management and Circular Economy” pairing"
    )
    assert "CityNet member, like Hat Yai" in ranked["Seoul"].explanation


@pytest.mark.parametrize(
    ("role", "words"),
    [
        (ParticipantRole.PARTNER, "partner city in 2"),
        (ParticipantRole.MENTOR, "mentor in 2"),
        (ParticipantRole.CHAIR, "chair in 2"),
        (ParticipantRole.LEARNER, "learner in 2"),
        (ParticipantRole.PARTICIPANT, "participant in 2"),
    ],
)
def test_a_role_is_said_in_its_own_words_not_led(waste, role, words):
    """A "Partner city" partnered two pairings: it did not lead them."""
    jeju = city("Jeju", "KR", "33.499", "126.531")
    for other in (waste["khon_kaen"], waste["malang"]):
        pairing = PairingFactory(
            programme=waste["stream"].programme, stream=waste["stream"], cities=[other]
        )
        PairingParticipant.objects.create(pairing=pairing, city=jeju, role=role)
    ranked = {
        s.city.name: s for s in suggest_partners(city=waste["hat_yai"], stream=waste["stream"])
    }
    assert ranked["Jeju"].reasons[0] == (
        f"{words} “Waste Management and Circular Economy” pairings"
    )
    assert "led" not in ranked["Jeju"].explanation.split()


def test_cities_already_paired_in_the_programme_are_partners_not_suggestions(waste):
    """Hat Yai paired with Khon Kaen in another stream of the programme: Khon Kaen is its
    partner there, listed apart; a pairing in another programme, or a cancelled one,
    makes no partner."""
    hat_yai, khon_kaen, malang = waste["hat_yai"], waste["khon_kaen"], waste["malang"]
    flood = ThematicStreamFactory(programme=waste["stream"].programme, name="Flood")
    shared = PairingFactory(programme=flood.programme, stream=flood, cities=[])
    PairingParticipant.objects.create(pairing=shared, city=hat_yai, role="pilot")
    PairingParticipant.objects.create(pairing=shared, city=khon_kaen, role="partner")
    PairingFactory(cities=[hat_yai, malang])  # another programme
    PairingFactory(programme=flood.programme, cities=[hat_yai, waste["seoul"]], status="cancelled")

    partners = current_partners(city=hat_yai, stream=waste["stream"])
    assert [(p.city, [(s.pairing, s.role) for s in p.pairings]) for p in partners] == [
        (khon_kaen, [(shared, "partner")])
    ]
    assert partners[0].explanation == f"partner city in “{shared.title}”"
    assert round(partners[0].distance_km) == 1080
    names = [s.city.name for s in suggest_partners(city=hat_yai, stream=waste["stream"])]
    assert "Khon Kaen" not in names
    assert "Malang" in names and "Seoul" in names


def test_exclude_same_country_removes_thai_cities(waste):
    ranked = suggest_partners(
        city=waste["hat_yai"],
        stream=waste["stream"],
        filters=PartnerFilters(exclude_same_country=True),
    )
    assert ranked and all(s.city.country.code != "TH" for s in ranked)


def test_distance_filter_keeps_cities_within_range(waste):
    ranked = suggest_partners(
        city=waste["hat_yai"],
        stream=waste["stream"],
        filters=PartnerFilters(max_distance_km=1500),
    )
    assert [s.city.name for s in ranked] == ["Khon Kaen"]  # 1,080 km; Malang 2,143


def test_free_text_need_finds_experience_in_matching_activities(waste):
    flood = ThematicStreamFactory(name="Nature-based Solutions for Urban Flood Management")
    StreamPriorityFactory(stream=flood, text="Improving flood risk reduction and water retention")
    penang = city("Penang", "MY", "5.414", "100.329")
    ActivityFactory(
        title="Sponge city study visit",
        description="flood retention ponds",
        programme=flood.programme,
    ).cities.add(penang)
    ranked = suggest_partners(city=waste["hat_yai"], need="sponge city flood retention")
    assert ranked[0].city == penang
    assert "took part in 1 “sponge city flood retention” activity" in ranked[0].explanation


def test_a_request_turns_into_a_proposed_pairing_in_one_step(waste):
    request = PartnerRequest.objects.create(
        city=waste["hat_yai"],
        programme=waste["stream"].programme,
        stream=waste["stream"],
        theme="organic waste composting",
        deadline=datetime.date(2026, 9, 30),
    )
    pairing = partner_request_to_pairing(request=request, partner_ids=[waste["malang"].pk])
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.PAIRED and request.pairing == pairing
    assert pairing.status == PairingStatus.PROPOSED
    assert {(p.city.name, p.role) for p in pairing.participants.all()} == {
        ("Hat Yai", ParticipantRole.PILOT),
        ("Malang", ParticipantRole.POTENTIAL_PARTNER),
    }
    with pytest.raises(ValidationError, match="no longer open"):
        partner_request_to_pairing(request=request, partner_ids=[waste["seoul"].pk])


def test_a_request_without_programme_cannot_become_a_pairing(waste):
    request = PartnerRequest.objects.create(city=waste["hat_yai"], theme="waste")
    with pytest.raises(ValidationError, match="Choose the programme"):
        partner_request_to_pairing(request=request, partner_ids=[waste["malang"].pk])
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.OPEN and request.pairing is None
