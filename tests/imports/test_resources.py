"""File imports through the resources: preview statuses, rejection, matching, pairing rules."""

import pytest

from activities.resources import ActivityResource
from cities.models import City
from cities.resources import CityResource
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Membership, Pairing, PairingStatusChange
from programmes.resources import MembershipResource, NetworkResource, PairingResource
from programmes.services import ParticipantSpec, pairing_create
from tests.factories import CityFactory, NetworkFactory, ProgrammeFactory
from tests.imports.helpers import dataset, errors_of, run, statuses

CITY_COLUMNS = ["slug", "name", "country", "population"]
PAIRING_COLUMNS = ["programme", "participants", "status"]


@pytest.fixture
def bacolod(db):
    return CityFactory(name="Bacolod", slug="bacolod", country="PH", population=600_000)


@pytest.fixture
def iloilo(db):
    return CityFactory(name="Iloilo City", slug="iloilo", country="PH", population=450_000)


# --- Preview: each row new, updated, unchanged or an error with its reason ------------


def test_preview_reports_each_row_status_and_writes_nothing(bacolod, iloilo):
    data = dataset(
        CITY_COLUMNS,
        ("bacolod", "Bacolod", "PH", "600000"),  # unchanged
        ("iloilo", "Iloilo City", "PH", "457626"),  # updated population
        ("", "Prato", "IT", ""),  # new, found in the gazetteer
        ("", "Nowhere", "Atlantis", ""),  # unknown country
    )
    result = run(CityResource(), data)
    assert statuses(result) == ["unchanged", "updated", "new", "error"]
    assert "unknown country “Atlantis”" in errors_of(result, 4)
    assert not City.objects.filter(slug="prato").exists()
    iloilo.refresh_from_db()
    assert iloilo.population == 450_000


def test_new_city_takes_gazetteer_id_coordinates_and_population(db):
    result = run(CityResource(), dataset(["name", "country"], ("Prato", "Italy")), dry_run=False)
    assert statuses(result) == ["new"]
    prato = City.objects.get(name="Prato")
    assert prato.geonames_id == 3169921
    assert prato.population > 100_000
    assert prato.latitude is not None and prato.slug == "prato"


def test_city_row_without_slug_updates_the_city_of_that_name(bacolod):
    data = dataset(["name", "country", "population"], ("BACOLOD", "Philippines", "610000"))
    result = run(CityResource(), data, dry_run=False)
    assert statuses(result) == ["updated"]
    bacolod.refresh_from_db()
    assert bacolod.population == 610_000 and bacolod.name == "BACOLOD"


def test_new_slug_for_a_city_already_in_the_registry_is_an_error(bacolod):
    data = dataset(["slug", "name", "country"], ("bacolod-city", "Bacolod", "PH"))
    result = run(CityResource(), data)
    assert "already in the registry as “bacolod”" in errors_of(result, 1)


# --- A rejected file writes nothing ---------------------------------------------------


def test_file_with_one_bad_row_writes_nothing(bacolod):
    data = dataset(
        CITY_COLUMNS,
        ("cebu", "Cebu City", "PH", "900000"),
        ("bacolod", "Bacolod", "PH", "not a number"),
    )
    result = run(CityResource(), data, dry_run=False)
    assert statuses(result) == ["new", "error"]
    assert "population: “not a number” is not a whole number." in errors_of(result, 2)
    assert not City.objects.filter(slug="cebu").exists()
    bacolod.refresh_from_db()
    assert bacolod.population == 600_000


def test_pairing_file_with_a_broken_rule_writes_nothing(bacolod, iloilo, programme):
    data = dataset(
        PAIRING_COLUMNS,
        (programme.slug, "bacolod:pilot;iloilo:partner", "agreed"),
        (programme.slug, "bacolod:pilot;bacolod:partner", "agreed"),
    )
    result = run(PairingResource(), data, dry_run=False)
    assert statuses(result) == ["new", "error"]
    assert "a city cannot be paired with itself" in errors_of(result, 2)
    assert not Pairing.objects.exists()


# --- Misspelt and ambiguous city names ------------------------------------------------


def test_misspelt_city_is_an_error_that_suggests_the_right_one(bacolod, iloilo, programme):
    data = dataset(PAIRING_COLUMNS, (programme.slug, "Bacolodd|PH:pilot;iloilo", "proposed"))
    result = run(PairingResource(), data)
    assert statuses(result) == ["error"]
    assert "unknown city “Bacolodd” (PH) — did you mean “Bacolod” (bacolod)?" in errors_of(
        result, 1
    )


def test_misspelt_new_city_without_coordinates_is_an_error(bacolod):
    result = run(CityResource(), dataset(["name", "country"], ("Bacolodd", "PH")))
    assert "did you mean “Bacolod”" in errors_of(result, 1)


def test_ambiguous_city_lists_the_candidates_and_guesses_nothing(db, programme):
    CityFactory(name="Prato", slug="prato", country="IT", population=195_000)
    CityFactory(name="Prato", slug="prato-vesuviano", country="IT", population=150_000)
    taichung = CityFactory(name="Taichung", slug="taichung", country="TW")
    data = dataset(PAIRING_COLUMNS, (programme.slug, f"{taichung.slug};Prato|IT", "proposed"))
    result = run(PairingResource(), data, dry_run=False)
    message = errors_of(result, 1)
    assert "ambiguous city “Prato” (IT)" in message
    assert "prato" in message and "prato-vesuviano" in message
    assert not Pairing.objects.exists()


def test_ambiguous_gazetteer_name_for_a_new_city_asks_for_geonames_id(db):
    result = run(CityResource(), dataset(["name", "country"], ("San Fernando", "PH")))
    message = errors_of(result, 1)
    assert "ambiguous city “San Fernando” (PH)" in message
    assert "GeoNames" in message and "geonames_id" in message


# --- Pairings go through the services -------------------------------------------------


def test_new_pairing_is_created_with_roles_and_first_status(bacolod, iloilo, programme):
    data = dataset(PAIRING_COLUMNS, (programme.slug, "bacolod:pilot;Iloilo|PH:mentor", "agreed"))
    result = run(PairingResource(), data, dry_run=False)
    assert statuses(result) == ["new"]
    pairing = Pairing.objects.get()
    assert pairing.title == "Bacolod – Iloilo City"
    roles = {(p.city.slug, p.role) for p in pairing.participants.all()}
    assert roles == {("bacolod", ParticipantRole.PILOT), ("iloilo", ParticipantRole.MENTOR)}
    assert pairing.status_changes.get().status == PairingStatus.AGREED


def test_pairing_found_whatever_the_order_of_its_cities(bacolod, iloilo, programme):
    pairing_create(
        programme=programme,
        participants=[
            ParticipantSpec(bacolod.pk, ParticipantRole.PILOT),
            ParticipantSpec(iloilo.pk, ParticipantRole.PARTNER),
        ],
        status=PairingStatus.AGREED,
        title="Bacolod – Iloilo City",
    )
    data = dataset(
        ["programme", "participants", "status", "title"],
        (programme.slug, "iloilo:partner;bacolod:pilot", "agreed", "Bacolod – Iloilo City"),
    )
    assert statuses(run(PairingResource(), data)) == ["unchanged"]


def test_pairing_status_change_is_recorded_in_its_history(bacolod, iloilo, programme):
    pairing = pairing_create(
        programme=programme,
        participants=[ParticipantSpec(bacolod.pk), ParticipantSpec(iloilo.pk)],
        status=PairingStatus.AGREED,
    )
    data = dataset(PAIRING_COLUMNS, (programme.slug, "bacolod;iloilo", "active"))
    result = run(PairingResource(), data, dry_run=False)
    assert statuses(result) == ["updated"]
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ACTIVE
    assert list(
        PairingStatusChange.objects.filter(pairing=pairing).values_list("status", flat=True)
    ) == [PairingStatus.AGREED, PairingStatus.ACTIVE]


def test_unknown_programme_and_role_are_errors_in_words(bacolod, iloilo):
    data = dataset(PAIRING_COLUMNS, ("urban-actt", "bacolod:boss;iloilo", "proposed"))
    message = errors_of(run(PairingResource(), data), 1)
    assert "unknown programme “urban-actt”" in message
    assert "“boss” is not a role" in message


# --- Networks, memberships, activities ------------------------------------------------


def test_membership_of_a_city_found_by_network_and_city(bacolod):
    network = NetworkFactory(slug="citynet")
    Membership.objects.create(network=network, city=bacolod)
    data = dataset(
        ["network", "city", "member_type", "regional_group"],
        ("citynet", "Bacolod|PH", "full", "Southeast Asia"),
        ("citynet", "iloilo-missing", "full", ""),
    )
    result = run(MembershipResource(), data)
    assert statuses(result) == ["updated", "error"]
    assert "unknown city “iloilo-missing”" in errors_of(result, 2)


def test_network_parent_must_exist(db):
    NetworkFactory(slug="citynet")
    data = dataset(["slug", "name", "parent"], ("citynet-sea", "CityNet SEA", "citynett"))
    message = errors_of(run(NetworkResource(), data), 1)
    assert "unknown network “citynett” — did you mean “citynet”?" in message


def test_activity_links_cities_pairing_and_organisers(bacolod, iloilo, programme):
    pairing_create(
        programme=programme, participants=[ParticipantSpec(bacolod.pk), ParticipantSpec(iloilo.pk)]
    )
    network = NetworkFactory(slug="uclg-aspac")
    data = dataset(
        ["programme", "title", "start_date", "date_precision", "pairing", "cities", "organisers"],
        (
            programme.slug,
            "Study visit",
            "2026-03-10",
            "month",
            "iloilo+bacolod",
            "bacolod;iloilo",
            network.slug,
        ),
    )
    result = run(ActivityResource(), data, dry_run=False)
    assert statuses(result) == ["new"]
    activity = programme.activities.get()
    assert str(activity.start_date) == "2026-03-01" and str(activity.end_date) == "2026-03-31"
    assert set(activity.cities.values_list("slug", flat=True)) == {"bacolod", "iloilo"}
    assert activity.pairing is not None
    assert list(activity.organisers.all()) == [network]
    again = run(ActivityResource(), data)
    assert statuses(again) == ["unchanged"]


def test_programme_factory_is_published(db):
    assert ProgrammeFactory().is_published
