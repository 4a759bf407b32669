"""Partner suggestions on the seed data: the source documents' cities, streams and pairings.

Hand-counted from fixtures/000_urban_act_workshop.yaml: the waste stream's pairing has
Khon Kaen (pilot), Hat Yai and Nakhon Si Thammarat (Thai cities of the stream) and four
potential partners (Phitsanulok, Malang, Shizuoka, Jeju); its three planned activities
name Khon Kaen, Hat Yai and Nakhon Si Thammarat.
"""

import pytest

from programmes.partners import PartnerFilters, region_countries, stream_theme, suggest_partners

WASTE = "urban-act-waste-circular-economy"
FLOOD = "urban-act-nbs-flood-management"
WASTE_EXPERIENCE = {
    "Khon Kaen",
    "Nakhon Si Thammarat",
    "Phitsanulok",
    "Malang",
    "Shizuoka",
    "Jeju",
}


@pytest.fixture
def hat_yai_waste(city, stream):
    return suggest_partners(city=city("hat-yai"), stream=stream(WASTE), limit=100)


def test_cities_with_waste_experience_rank_above_those_without(hat_yai_waste):
    names = [s.city.name for s in hat_yai_waste]
    assert "Hat Yai" not in names
    assert set(names) >= WASTE_EXPERIENCE
    experienced = [names.index(name) for name in WASTE_EXPERIENCE]
    others = [i for i, name in enumerate(names) if name not in WASTE_EXPERIENCE]
    # The stream's cities first: the pilot, then the other Thai city of the stream.
    assert names[:2] == ["Khon Kaen", "Nakhon Si Thammarat"]
    assert others, "cities with related activities elsewhere are suggested too"
    assert max(experienced) < min(others)


def test_the_explanations_say_why_in_words(hat_yai_waste):
    by_name = {s.city.name: s for s in hat_yai_waste}
    waste = "“Waste Management and Circular Economy”"
    khon_kaen = by_name["Khon Kaen"].explanation
    assert khon_kaen.startswith(
        f"led 1 {waste} pairing; took part in 3 {waste} activities; "
        "took part in 1 activity on waste management or circular economy"
    )
    assert khon_kaen.endswith("km away")
    # Nakhon Si Thammarat is a city of the stream (role "participant"), not a partner.
    assert by_name["Nakhon Si Thammarat"].explanation.startswith(
        f"took part in 1 {waste} pairing; took part in 3 {waste} activities"
    )
    assert by_name["Malang"].explanation == (
        f"named as potential partner in 1 {waste} pairing; 2,143 km away"
    )
    # Seoul mentored Sidoarjo on waste and water management (CityNet, 2023).
    assert by_name["Seoul"].reasons[0] == (
        "took part in 1 activity on waste management or circular economy"
    )


def test_exclude_same_country_removes_thai_cities(city, stream):
    ranked = suggest_partners(
        city=city("hat-yai"),
        stream=stream(WASTE),
        filters=PartnerFilters(exclude_same_country=True),
        limit=100,
    )
    countries = {s.city.country.code for s in ranked}
    assert ranked and "TH" not in countries
    # The potential partners abroad first, nearest first (equal scores).
    assert [s.city.name for s in ranked][:3] == ["Malang", "Jeju", "Shizuoka"]


def test_region_keeps_neighbouring_countries_only(city, stream):
    assert region_countries("TH", "neighbours") == {"TH", "LA", "MM", "KH", "MY"}
    ranked = suggest_partners(
        city=city("hat-yai"), stream=stream(WASTE), filters=PartnerFilters(region="neighbours")
    )
    assert {s.city.country.code for s in ranked} <= {"TH", "LA", "MM", "KH", "MY"}
    assert "Malang" not in {s.city.name for s in ranked}


def test_distance_and_population_filters(city, stream):
    hat_yai, waste = city("hat-yai"), stream(WASTE)
    near = suggest_partners(
        city=hat_yai, stream=waste, filters=PartnerFilters(max_distance_km=1000)
    )
    assert near and all(s.distance_km <= 1000 for s in near)
    assert "Khon Kaen" not in {s.city.name for s in near}  # 1,080 km
    big = suggest_partners(
        city=hat_yai, stream=waste, filters=PartnerFilters(min_population=500_000), limit=100
    )
    assert big and all(s.city.population >= 500_000 for s in big)
    assert "Phitsanulok" not in {s.city.name for s in big}


def test_a_free_text_need_finds_the_flood_stream(city):
    ranked = suggest_partners(city=city("hat-yai"), need="sponge city flood retention")
    names = [s.city.name for s in ranked]
    # The NbS stream's description names sponge cities and water retention: its pilots
    # (Khon Kaen, Wichit) lead; its potential partners follow.
    assert set(names[:2]) == {"Khon Kaen", "Wichit"}
    assert {"Penang", "Seoul", "Chiang Rai"} <= set(names)
    assert "led 1 “sponge city flood retention” pairing" in ranked[0].explanation


def test_shared_network_is_a_reason(city, stream):
    ranked = suggest_partners(city=city("bangkok"), stream=stream(WASTE), limit=100)
    jeju = next(s for s in ranked if s.city.name == "Jeju")
    assert "CityNet member, like Bangkok" in jeju.explanation


def test_stream_theme_is_its_name_split_on_and():
    class Stream:
        name = "Nature-based Solutions (NbS) for Urban Flood Management"

    assert stream_theme(Stream) == "Nature-based Solutions for Urban Flood Management"
    Stream.name = "Waste Management and Circular Economy"
    assert stream_theme(Stream) == "Waste Management or Circular Economy"


def test_unpublished_pairings_are_no_evidence_for_readers_who_may_not_see_them(
    city, stream, urban_act
):
    from django.contrib.auth.models import AnonymousUser

    from citypairing.views_base import visible_to

    urban_act.pairings.update(is_published=False)
    urban_act.activities.update(is_published=False)
    ranked = suggest_partners(
        city=city("hat-yai"),
        stream=stream(WASTE),
        visible=lambda queryset: visible_to(AnonymousUser(), queryset),
        limit=100,
    )
    assert not {"Phitsanulok", "Malang", "Shizuoka", "Jeju"} & {s.city.name for s in ranked}
    assert all("pairing" not in s.explanation for s in ranked)


def test_what_the_city_asks_for_counts_against_what_a_candidate_did(city, stream):
    """Hat Yai's waste stream asks for "Lowering greenhouse gas emissions"; an activity on
    greenhouse gas elsewhere makes its city a candidate, and says which priority."""
    from tests.factories import ActivityFactory

    ActivityFactory(
        title="Forum on greenhouse gas inventories", description="", programme=None
    ).cities.add(city("yokohama"))
    ranked = suggest_partners(city=city("hat-yai"), stream=stream(WASTE), limit=100)
    yokohama = next(s for s in ranked if s.city.name == "Yokohama")
    assert "worked on Hat Yai's priority “Lowering greenhouse gas emissions”" in (yokohama.reasons)


def test_with_a_stream_and_a_need_each_reason_names_where_it_came_from(city, stream):
    """Khon Kaen led the waste pairing (the stream); Seoul's Smart Resource Management
    Program is found by the need's words, not by the stream."""
    ranked = suggest_partners(
        city=city("hat-yai"), stream=stream(WASTE), need="waste management", limit=100
    )
    by_name = {s.city.name: s for s in ranked}
    assert by_name["Khon Kaen"].reasons[0] == (
        "led 1 “Waste Management and Circular Economy” pairing"
    )
    assert by_name["Seoul"].reasons[0] == "took part in 1 “waste management” activity"
