"""Partner suggestions and the seeking-partners board, on hand-made data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programmes.choices import PairingStatus, ParticipantRole, PartnerRequestStatus
from programmes.models import PairingParticipant, PartnerRequest
from programmes.partners import PartnerFilters, suggest_partners
from programmes.services import partner_request_to_pairing
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


def city(name, country, lat, lng):
    return CityFactory(name=name, country=country, latitude=Decimal(lat), longitude=Decimal(lng))


@pytest.fixture
def waste():
    """A waste stream: Hat Yai and Khon Kaen pilots, Malang a potential partner."""
    stream = ThematicStreamFactory(name="Waste Management and Circular Economy")
    hat_yai = city("Hat Yai", "TH", "7.008", "100.476")
    khon_kaen = city("Khon Kaen", "TH", "16.446", "102.833")
    malang = city("Malang", "ID", "-7.979", "112.630")
    seoul = city("Seoul", "KR", "37.566", "126.978")  # no waste experience
    pairing = PairingFactory(programme=stream.programme, stream=stream, cities=[])
    for c, role in ((hat_yai, "pilot"), (khon_kaen, "pilot"), (malang, "potential_partner")):
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
    assert "led 1 “Waste Management and Circular Economy” pairing" in khon_kaen
    assert "km away" in khon_kaen
    assert "CityNet member, like Hat Yai" in ranked["Seoul"].explanation


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
    assert [s.city.name for s in ranked] == ["Khon Kaen"]


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
