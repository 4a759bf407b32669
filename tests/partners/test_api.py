"""``/api/v1/partner-requests/``: the shared battery (tests/api/battery.py) with a request's
data, then its filters, its themes by slug, the pairing it became (only when the reader may
see it), who may write it, and its partner suggestions."""

import pytest
from rest_framework.test import APIClient

from partners.choices import PartnerRequestStatus
from partners.models import PartnerRequest
from tests import factories
from tests.api.battery import APIResourceBattery, officer_of
from tests.helpers import token_client
from tests.trust.conftest import build_world
from themes.models import Theme

# The seed of this folder's conftest is not loaded here: these tests make their records.
WITHOUT_SEED = True
pytestmark = pytest.mark.usefixtures("no_throttling")
URL = "/api/v1/partner-requests/"


def hidden_programme_of(network):
    """Return an unpublished programme ``network`` runs."""
    programme = factories.ProgrammeFactory(name="Draft programme", slug="draft", is_published=False)
    factories.ProgrammeNetworkFactory(programme=programme, network=network)
    return programme


class TestPartnerRequestAPI(APIResourceBattery):
    resource = "partner-requests"
    model = PartnerRequest
    programme_scoped = True

    def make(self, world):
        return PartnerRequest.objects.create(
            city=world.wichit, programme=world.programme_a, theme="Flood retention"
        )

    def make_hidden(self, world):
        return PartnerRequest.objects.create(
            city=world.wichit, programme=hidden_programme_of(world.network_a), theme="Draft need"
        )

    def create_data(self, world):
        return {
            "city": world.iloilo.pk,
            "programme": world.programme_a.pk,
            "theme": "Sponge city flood retention",
            "themes": ["flood-management"],
            "preferred_countries": ["TH", "VN"],
        }

    def update_data(self, world):
        return {"theme": "Sponge city parks", "status": PartnerRequestStatus.CLOSED}

    def assert_created(self, body, record, world):
        assert body["themes"] == ["flood-management"]
        assert body["preferred_countries"] == ["TH", "VN"]
        assert body["status"] == "open" and body["pairing"] is None
        assert record.created_by == world.editor


@pytest.fixture
def world(db, django_user_model):
    w = build_world(django_user_model)
    w.officer_b = officer_of(w.network_b, "officer-b", django_user_model)
    flood = Theme.objects.get(slug="flood-management")
    mobility = Theme.objects.get(slug="urban-mobility")
    w.flood_request = PartnerRequest.objects.create(
        city=w.wichit, programme=w.programme_a, theme="Flood retention"
    )
    w.flood_request.themes.add(flood)
    w.bus_request = PartnerRequest.objects.create(
        city=w.makati,
        programme=w.programme_b,
        theme="Bus lanes",
        status=PartnerRequestStatus.PAIRED,
        pairing=w.hidden_b,
    )
    w.bus_request.themes.add(mobility)
    w.loose_request = PartnerRequest.objects.create(
        city=w.lalitpur, theme="Heat plans", created_by=w.officer
    )
    return w


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_filters_by_theme_status_programme_and_city(world):
    client = APIClient()
    assert ids(client.get(URL, {"theme": "flood-management"})) == {world.flood_request.pk}
    assert ids(client.get(URL, {"status": "paired"})) == {world.bus_request.pk}
    assert ids(client.get(URL, {"status": ["open", "paired"]})) == {
        world.flood_request.pk,
        world.bus_request.pk,
        world.loose_request.pk,
    }
    assert ids(client.get(URL, {"programme": "urban-act"})) == {world.flood_request.pk}
    assert ids(client.get(URL, {"programme_id": world.programme_b.pk})) == {world.bus_request.pk}
    assert ids(client.get(URL, {"city": "lalitpur"})) == {world.loose_request.pk}
    assert ids(client.get(URL, {"q": "bus"})) == {world.bus_request.pk}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"theme": "atlantis"}, "theme"),
        ({"status": "maybe"}, "status"),
        ({"programme": "x"}, "programme"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(world, params, field):
    response = APIClient().get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_themes_are_read_and_written_by_slug(world):
    officer = token_client(world.officer)
    url = f"{URL}{world.flood_request.pk}/"
    assert APIClient().get(url).json()["themes"] == ["flood-management"]
    response = officer.patch(url, {"themes": ["urban-mobility", "flood-management"]}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["themes"]) == ["flood-management", "urban-mobility"]
    refused = officer.patch(url, {"themes": ["atlantis"]}, format="json")
    assert refused.status_code == 400 and "themes" in refused.json()["errors"]


def test_the_pairing_a_request_became_shows_only_to_who_may_see_it(world, officer_b_client):
    url = f"{URL}{world.bus_request.pk}/"
    assert APIClient().get(url).json()["pairing"] is None  # the draft pairing is hidden
    shown = officer_b_client.get(url).json()["pairing"]
    assert shown == {"id": world.hidden_b.pk, "title": world.hidden_b.title}


@pytest.fixture
def officer_b_client(world):
    return token_client(world.officer_b)


def test_a_stream_alone_names_the_programme(world):
    response = token_client(world.officer).post(
        URL,
        {"city": world.wichit.pk, "stream": world.stream_a.pk, "theme": "Early warning"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["programme"]["id"] == world.programme_a.pk


def test_an_officer_posts_without_a_programme_and_only_the_poster_changes_it(
    world, officer_b_client
):
    body = {"city": world.lalitpur.pk, "theme": "Cool roofs"}
    posted = officer_b_client.post(URL, body, format="json")
    assert posted.status_code == 201, posted.content
    url = f"{URL}{posted.json()['id']}/"
    assert (
        officer_b_client.patch(url, {"theme": "Cool roofs and parks"}, format="json").status_code
        == 200
    )
    assert (
        token_client(world.officer).patch(url, {"theme": "x y"}, format="json").status_code == 403
    )
    # The officer of A posted the loose request: theirs to change, not B's.
    loose = f"{URL}{world.loose_request.pk}/"
    assert (
        token_client(world.officer).patch(loose, {"status": "closed"}, format="json").status_code
        == 200
    )
    assert officer_b_client.patch(loose, {"status": "open"}, format="json").status_code == 403


def test_paired_without_a_pairing_is_refused_in_words(world):
    response = token_client(world.officer).patch(
        f"{URL}{world.flood_request.pk}/", {"status": "paired"}, format="json"
    )
    assert response.status_code == 400
    assert "must name its pairing" in str(response.json()["errors"])


def test_suggestions_of_a_request(world):
    """Wichit's partner in Urban-Act (Iloilo City) is apart, never a suggestion."""
    response = APIClient().get(f"{URL}{world.flood_request.pk}/suggestions/", {"limit": 5})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["city"]["id"] == world.wichit.pk and body["need"] == "Flood retention"
    assert body["count"] == len(body["results"]) <= 5
    assert body["widened"] is False
    assert [p["city"]["id"] for p in body["partners"]] == [world.iloilo.pk]
    assert world.iloilo.pk not in {r["city"]["id"] for r in body["results"]}


def test_suggestions_refuse_a_bad_limit_and_a_hidden_request(world):
    url = f"{URL}{world.flood_request.pk}/suggestions/"
    response = APIClient().get(url, {"limit": "many"})
    assert response.status_code == 400 and "limit" in response.json()["errors"]
    hidden = PartnerRequest.objects.create(
        city=world.wichit, programme=hidden_programme_of(world.network_b), theme="Secret need"
    )
    assert APIClient().get(f"{URL}{hidden.pk}/suggestions/").status_code == 404
    assert token_client(world.officer).get(f"{URL}{hidden.pk}/").status_code == 404


def test_the_history_of_a_request_names_its_preferred_countries(world):
    """A multiple country field's stored "IT,TH" reads as the countries' names."""
    world.flood_request.preferred_countries = ["IT", "TH"]
    world.flood_request.save()
    response = token_client(world.officer).get(f"{URL}{world.flood_request.pk}/history/")
    assert response.status_code == 200, response.content
    (change,) = [
        change
        for entry in response.json()["results"]
        for change in entry["changes"]
        if change["field"] == "preferred_countries"
    ]
    assert change["after_display"] == "Italy, Thailand"


def test_a_write_answers_without_a_pairing_the_writer_may_not_see(world):
    """Network A's officer posted a request network B's draft pairing came of."""
    posted = world.bus_request
    posted.created_by = world.officer
    posted.save()
    url = f"{URL}{posted.pk}/"
    response = token_client(world.officer).patch(
        url, {"theme": "Bus depots, electric"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["pairing"] is None
    assert token_client(world.officer_b).get(url).json()["pairing"]["id"] == world.hidden_b.pk


def test_the_change_feed_and_webhooks_carry_requests_their_reader_may_see(world):
    """A partner network's staff (a webhook's owner) reads the requests' changes in the
    feed, but not those of another network's draft programme."""
    hidden = PartnerRequest.objects.create(
        city=world.wichit, programme=hidden_programme_of(world.network_b), theme="Secret need"
    )
    feed = token_client(world.partner).get("/api/v1/changes/", {"model": "partners.partnerrequest"})
    assert feed.status_code == 200, feed.content
    shown = {int(entry["object_id"]) for entry in feed.json()["results"]}
    assert {world.flood_request.pk, world.bus_request.pk} <= shown
    assert hidden.pk not in shown
