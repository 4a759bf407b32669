"""Partner suggestions on the seed data: the source documents' cities, streams and pairings.

Hand-counted from fixtures/000_urban_act_workshop.yaml: the waste stream's pairing has
Khon Kaen (pilot), Hat Yai and Nakhon Si Thammarat (Thai cities of the stream) and four
potential partners (Phitsanulok, Malang, Shizuoka, Jeju); its three planned activities
name Khon Kaen, Hat Yai and Nakhon Si Thammarat. The flood stream's pairing has Khon
Kaen and Wichit (pilots), Hat Yai (a city of the stream) and three potential partners
(Penang, Seoul, Chiang Rai). Bangkok is in neither: it asks as a newcomer.
"""

import pytest

from partners.ranking import (
    PartnerFilters,
    current_partners,
    region_countries,
    stream_theme,
    suggest_partners,
)

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
def bangkok_waste(city, stream):
    return suggest_partners(city=city("bangkok"), stream=stream(WASTE), limit=100)


def test_cities_with_waste_experience_rank_above_those_without(bangkok_waste):
    names = [s.city.name for s in bangkok_waste]
    assert "Bangkok" not in names
    assert set(names) >= WASTE_EXPERIENCE | {"Hat Yai"}
    # The stream's cities first: the pilot, then the other Thai cities of the stream
    # (equal scores, nearest first); then the potential partners among the rest.
    assert names[:3] == ["Khon Kaen", "Nakhon Si Thammarat", "Hat Yai"]
    assert len(names) > len(WASTE_EXPERIENCE) + 1, "related activities elsewhere count too"


def test_hat_yai_s_partners_in_the_programme_are_listed_apart_not_suggested(city, stream):
    """Hat Yai shares Urban-Act's waste pairing and flood pairing with ten cities: they
    are its partners, not suggestions, each with its role in the pairing."""
    hat_yai = city("hat-yai")
    partners = current_partners(city=hat_yai, stream=stream(WASTE))
    assert [p.city.name for p in partners] == sorted(
        WASTE_EXPERIENCE | {"Wichit", "Penang", "Seoul", "Chiang Rai"}
    )
    khon_kaen = next(p for p in partners if p.city.name == "Khon Kaen")
    assert [shared.description.split(":")[0] for shared in khon_kaen.pairings] == [
        "pilot / host city in “NbS for urban flood management",
        "pilot / host city in “Waste management and circular economy",
    ]
    malang = next(p for p in partners if p.city.name == "Malang")
    assert malang.explanation.startswith("potential partner in “Waste management")
    assert round(malang.distance_km) == 2143
    suggested = {
        s.city.name for s in suggest_partners(city=hat_yai, stream=stream(WASTE), limit=100)
    }
    assert suggested, "cities with related activities elsewhere are still suggested"
    assert not suggested & {p.city.name for p in partners}


def test_the_explanations_say_why_in_the_role_s_own_words(bangkok_waste):
    by_name = {s.city.name: s for s in bangkok_waste}
    waste = "“Waste Management and Circular Economy”"
    khon_kaen = by_name["Khon Kaen"].explanation
    assert khon_kaen.startswith(
        f"pilot / host city in 1 {waste} pairing; took part in 3 {waste} activities; "
        "took part in 1 activity on waste management or circular economy"
    )
    assert khon_kaen.endswith("km away")
    # Nakhon Si Thammarat is a city of the stream (role "participant"), not a partner.
    assert by_name["Nakhon Si Thammarat"].explanation.startswith(
        f"participant in 1 {waste} pairing; took part in 3 {waste} activities"
    )
    assert by_name["Malang"].explanation == (
        f"potential partner in 1 {waste} pairing; 2,763 km away"
    )
    assert all("led" not in s.explanation.split() for s in bangkok_waste)
    # Seoul mentored Sidoarjo on waste and water management (CityNet, 2023).
    assert by_name["Seoul"].reasons[0] == (
        "took part in 1 activity on waste management or circular economy"
    )


def test_exclude_same_country_removes_thai_cities(city, stream):
    ranked = suggest_partners(
        city=city("bangkok"),
        stream=stream(WASTE),
        filters=PartnerFilters(exclude_same_country=True),
        limit=100,
    )
    countries = {s.city.country.code for s in ranked}
    assert ranked and "TH" not in countries
    # A potential partner that is a CityNet member like Bangkok first.
    assert [s.city.name for s in ranked][:1] == ["Jeju"]


def test_region_keeps_neighbouring_countries_only(city, stream):
    assert region_countries("TH", "neighbours") == {"TH", "LA", "MM", "KH", "MY"}
    ranked = suggest_partners(
        city=city("bangkok"), stream=stream(WASTE), filters=PartnerFilters(region="neighbours")
    )
    assert {s.city.country.code for s in ranked} == {"TH", "KH", "MY"}
    assert "Malang" not in {s.city.name for s in ranked}  # Indonesia


def test_distance_and_population_filters(city, stream):
    bangkok, waste = city("bangkok"), stream(WASTE)
    near = suggest_partners(city=bangkok, stream=waste, filters=PartnerFilters(max_distance_km=500))
    assert {s.city.name for s in near} == {"Khon Kaen", "Phitsanulok"}  # 390 and 342 km
    assert "Nakhon Si Thammarat" not in {s.city.name for s in near}  # 594 km
    big = suggest_partners(
        city=bangkok, stream=waste, filters=PartnerFilters(min_population=500_000), limit=100
    )
    assert big and all(s.city.population >= 500_000 for s in big)
    assert "Phitsanulok" not in {s.city.name for s in big}


def test_a_free_text_need_finds_the_flood_stream(city):
    need = "sponge city flood retention"
    ranked = suggest_partners(city=city("bangkok"), need=need)
    names = [s.city.name for s in ranked]
    # The NbS stream's description names sponge cities and water retention: its pilots
    # (Khon Kaen, Wichit) lead; its potential partners follow.
    assert set(names[:2]) == {"Khon Kaen", "Wichit"}
    assert {"Penang", "Seoul", "Chiang Rai"} <= set(names)
    assert "pilot / host city in 1 “sponge city flood retention” pairing" in (ranked[0].explanation)
    # For Hat Yai, a city of that stream, they are partners already (the programme of
    # the stream the need matched), not suggestions.
    partners = {p.city.name for p in current_partners(city=city("hat-yai"), need=need)}
    assert {"Khon Kaen", "Wichit", "Penang", "Seoul", "Chiang Rai"} <= partners
    assert not partners & {s.city.name for s in suggest_partners(city=city("hat-yai"), need=need)}


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

    from core.visibility import visible_to

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
    """Khon Kaen is the waste pairing's pilot (the stream); Seoul's Smart Resource
    Management Program is found by the need's words, not by the stream."""
    ranked = suggest_partners(
        city=city("bangkok"), stream=stream(WASTE), need="waste management", limit=100
    )
    by_name = {s.city.name: s for s in ranked}
    assert by_name["Khon Kaen"].reasons[0] == (
        "pilot / host city in 1 “Waste Management and Circular Economy” pairing"
    )
    assert by_name["Seoul"].reasons[0] == "took part in 1 “waste management” activity"
