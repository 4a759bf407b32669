"""The map page's compact data (``/map/data.json``): built by PostgreSQL, gzipped, kept
until the next change, and never showing a reader what they may not see, even when an
officer's map was kept first."""

import gzip
import json

import pytest

from cities.choices import AlternativeNameKind
from programmes.choices import ParticipantRole
from programmes.models import PairingParticipant
from tests.api.battery import officer_of
from tests.api.data import build_registry
from tests.factories import CityFactory, PairingFactory

URL = "/map/data.json"


def read(client, query=None) -> dict:
    response = client.get(URL, query or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def titles(data) -> set[str]:
    return {row[3] for row in data["pairings"]}


@pytest.fixture
def registry(db):
    return build_registry()


def test_rows_carry_the_hub_first_and_the_links_the_popups_use(client, registry):
    PairingParticipant.objects.create(pairing=registry.pairing, city=registry.prato)
    data = read(client, {"programme": "urban-act"})
    (row,) = data["pairings"]
    pairing_id, status, programme_id, title, points = row
    assert (pairing_id, status, title) == (registry.pairing.pk, "active", "Bangkok – Iloilo")
    assert data["programmes"][str(programme_id)] == "Urban-Act"
    # The pilot first, then the others by role and name, as the GeoJSON draws them.
    assert [point[0] for point in points] == [
        registry.bangkok.pk,
        registry.iloilo.pk,
        registry.prato.pk,
    ]
    assert points[0][1:] == [float(registry.bangkok.longitude), float(registry.bangkok.latitude)]
    assert data["links"] == {"pairing": "/pairings/{}/", "city": "/cities/{}/"}
    assert data["statuses"]["active"] == "Active"


def test_a_filtered_map_sends_only_the_cities_of_its_pairings(client, registry):
    CityFactory(name="Unpaired", country="TH")
    filtered = read(client, {"programme": "urban-act"})
    assert {row[1] for row in filtered["cities"]} == {"Bangkok", "Iloilo"}
    everything = read(client)
    assert "Unpaired" in {row[1] for row in everything["cities"]}


def test_cities_carry_their_local_name_and_its_language(client, registry):
    registry.bangkok.alternative_names.create(
        name="กรุงเทพมหานคร", language="th", is_local=True, kind=AlternativeNameKind.LOCAL
    )
    row = next(row for row in read(client)["cities"] if row[1] == "Bangkok")
    assert row[2:4] == ["bangkok", "TH"]
    assert row[6:] == ["กรุงเทพมหานคร", "th"]


def test_unpublished_pairings_are_never_in_the_anonymous_map(client, registry):
    hidden = PairingFactory(
        programme=registry.programme,
        title="Draft twinning",
        is_published=False,
        cities=[registry.bangkok, registry.prato],
    )
    assert hidden.title not in titles(read(client))
    assert hidden.title not in titles(read(client, {"programme": "urban-act"}))


def test_the_map_is_gzipped_for_browsers_that_take_it(client, registry):
    plain = client.get(URL)
    assert "Content-Encoding" not in plain
    zipped = client.get(URL, headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"]


def test_a_filter_that_is_not_valid_is_a_json_400(client, registry):
    response = client.get(URL, {"status": "sleeping"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_more_pairings_than_the_map_takes_is_a_json_400(client, registry, settings):
    settings.MAP_MAX_ROWS = 1
    response = client.get(URL)
    assert response.status_code == 400
    assert "narrow the filters" in response.json()["errors"]["__all__"][0]["message"]


@pytest.mark.django_db(transaction=True)
def test_a_kept_officers_map_is_never_served_to_anyone_else(client, django_user_model):
    # Committed data (transaction=True): inside a test's open transaction nothing is kept.
    registry = build_registry()
    hidden = PairingFactory(
        programme=registry.programme,
        title="Draft twinning",
        is_published=False,
        cities=[registry.bangkok, registry.prato],
    )
    officer = officer_of(registry.network, "officer", django_user_model)
    stranger = officer_of(registry.other_network, "stranger", django_user_model)
    client.force_login(officer)
    assert hidden.title in titles(read(client))
    assert hidden.title in titles(read(client))  # now from the kept answer
    client.force_login(stranger)
    assert hidden.title not in titles(read(client))
    client.logout()
    assert hidden.title not in titles(read(client))


@pytest.mark.django_db(transaction=True)
def test_a_change_shows_at_the_next_read_of_a_kept_map(client, django_assert_max_num_queries):
    registry = build_registry()
    assert len(read(client)["pairings"]) == 2
    with django_assert_max_num_queries(1):  # kept: the version only
        assert len(read(client)["pairings"]) == 2
    pairing = PairingFactory(
        programme=registry.programme, title="New twinning", cities=[registry.iloilo]
    )
    # A second city: its place changes the map too.
    PairingParticipant.objects.create(
        pairing=pairing, city=registry.prato, role=ParticipantRole.PARTNER
    )
    assert "New twinning" in titles(read(client))
    registry.prato.longitude = 12
    registry.prato.save()
    row = next(row for row in read(client)["pairings"] if row[3] == "New twinning")
    assert [point[1] for point in row[4] if point[0] == registry.prato.pk] == [12.0]
    pairing.delete()
    assert "New twinning" not in titles(read(client))


def test_the_map_filters_by_theme_in_its_panel_and_its_data(client, registry):
    from themes.models import Theme
    from themes.vocabulary import load_vocabulary

    load_vocabulary()
    registry.other_pairing.themes.add(Theme.objects.get(slug="flood-management"))
    page = client.get("/map/", {"theme": "flood-management"})
    form = page.context["filter_form"]
    assert "theme" in [field.name for field in page.context["filter_shown"]]
    assert form["theme"].value() == ["flood-management"]
    assert 'name="theme"' in page.content.decode()
    data = read(client, {"theme": "flood-management"})
    assert titles(data) == {"Iloilo – Prato"}
    assert {row[1] for row in data["cities"]} == {"Iloilo", "Prato"}


def test_the_pairing_page_shows_each_citys_local_name(client, registry):
    registry.bangkok.alternative_names.create(
        name="กรุงเทพมหานคร", language="th", is_local=True, kind=AlternativeNameKind.LOCAL
    )
    page = client.get(f"/pairings/{registry.pairing.pk}/").content.decode()
    assert '>Bangkok</a> <span lang="th" class="local-name">กรุงเทพมหานคร</span>' in page
