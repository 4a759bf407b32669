"""City matching: registry first (accents, case, alternative names), then the gazetteer."""

import pytest

from cities.countries import resolve_country
from cities.geo import distance_km
from cities.matching import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    CityMatcher,
    parse_reference,
    unique_city_slug,
)
from tests.factories import CityAlternativeNameFactory, CityFactory


@pytest.fixture
def matcher(db):
    return CityMatcher()


def test_matches_registry_city_whatever_the_accents_and_case(db):
    hue = CityFactory(name="Huế", slug="hue", country="VN")
    match = CityMatcher().match("HUE", "VN")
    assert match.status == MATCHED
    assert match.city.id == hue.pk


def test_matches_registry_city_by_alternative_name(db):
    wichit = CityFactory(name="Wichit", slug="wichit", country="TH")
    CityAlternativeNameFactory(city=wichit, name="Vichit")
    match = CityMatcher().match("vichit", "TH")
    assert match.city.id == wichit.pk
    assert "alternative name" in match.reason


def test_matches_name_without_generic_words(db):
    iloilo = CityFactory(name="Iloilo City", slug="iloilo", country="PH")
    assert CityMatcher().match("Iloilo", "PH").city.id == iloilo.pk


def test_two_registry_cities_of_similar_size_are_ambiguous_and_listed(db):
    CityFactory(name="Prato", slug="prato", country="IT", population=195_000)
    CityFactory(name="Prato", slug="prato-2", country="IT", population=120_000)
    match = CityMatcher().match("Prato", "IT")
    assert match.status == AMBIGUOUS
    assert "prato" in match.message() and "prato-2" in match.message()


def test_coordinates_choose_between_namesakes(db):
    CityFactory(name="Prato", slug="prato", country="IT", latitude=43.88, longitude=11.10)
    other = CityFactory(name="Prato", slug="prato-2", country="IT", latitude=45.0, longitude=8.0)
    match = CityMatcher().match("Prato", "IT", latitude=45.01, longitude=8.02)
    assert match.city.id == other.pk
    assert "km from the given coordinates" in match.reason


def test_misspelt_name_suggests_the_registry_city(db):
    CityFactory(name="Bacolod", slug="bacolod", country="PH")
    match = CityMatcher().match("Bacolodd", "PH")
    assert match.status == UNMATCHED
    assert "did you mean “Bacolod” (bacolod)?" in match.message()


def test_gazetteer_place_found_when_registry_lacks_it(db):
    match = CityMatcher().match("Prato", "IT")
    assert match.status == MATCHED
    assert match.city is None
    assert match.place.geonames_id == 3169921


def test_reference_to_city_only_in_gazetteer_is_unmatched_with_hint(db):
    match = CityMatcher().resolve("Prato|Italy")
    assert match.status == UNMATCHED
    assert "import it in a cities file first" in match.message()


def test_reference_by_slug_or_name_and_country(db):
    bacolod = CityFactory(name="Bacolod", slug="bacolod", country="PH")
    matcher = CityMatcher()
    assert matcher.resolve("bacolod").city.id == bacolod.pk
    assert matcher.resolve("Bacolod|Philippines").city.id == bacolod.pk
    assert matcher.resolve("BACOLOD|PH").city.id == bacolod.pk


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PH", "PH"),
        ("South Korea", "KR"),
        ("Georgia (country)", "GE"),
        ("Republic of Ireland", "IE"),
        ("England", "GB"),
        ("Martinique", "MQ"),
        ("Island", None),  # not guessed as Comoros
        ("Grece", None),
        ("Kosovo", "XK"),  # GeoNames' code, which the registry accepts (COUNTRIES_OVERRIDE)
    ],
)
def test_resolve_country_without_fuzzy_guesses(text, code):
    assert resolve_country(text) == code


def test_unique_city_slug_adds_country_then_number():
    taken = {"bacolod", "bacolod-ph"}
    assert unique_city_slug("Bacolod", "PH", taken.__contains__) == "bacolod-ph-2"
    assert unique_city_slug("Bağcılar", "TR", taken.__contains__) == "bagclar"


@pytest.mark.parametrize(
    ("text", "name", "country", "unknown"),
    [
        ("Iloilo City (PH)", "Iloilo City", "PH", ""),
        ("Tbilisi (Georgia)", "Tbilisi", "GE", ""),
        ("Frankfurt (Oder)", "Frankfurt (Oder)", None, ""),  # brackets that name no country
        ("Bacolod | Philippines", "Bacolod", "PH", ""),
        ("Bacolod|Atlantis", "Bacolod", None, "Atlantis"),
        ("  hat   yai ", "hat yai", None, ""),
    ],
)
def test_parse_reference_reads_every_way_a_city_is_written(text, name, country, unknown):
    reference = parse_reference(text)
    assert (reference.name, reference.country, reference.unknown_country) == (
        name,
        country,
        unknown,
    )


def test_reference_in_brackets_as_forms_write_it(db):
    bacolod = CityFactory(name="Bacolod", slug="bacolod", country="PH")
    CityFactory(name="Bacolod", slug="bacolod-us", country="US")
    assert CityMatcher().resolve(str(bacolod)).city.id == bacolod.pk


def test_distance_is_the_haversine_great_circle():
    # Bangkok to Chiang Mai, about 583 km as the crow flies.
    assert distance_km(13.7563, 100.5018, 18.7883, 98.9853) == pytest.approx(583, abs=2)
    assert distance_km(10.0, 20.0, 10.0, 20.0) == 0
