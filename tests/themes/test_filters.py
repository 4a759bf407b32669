"""The theme filter on every themed list (page and API), the facets, the map's GeoJSON,
search and the theme page: each shows only what the reader may see."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def api_names(api, resource, query, key="title"):
    response = api.get(f"/api/v1/{resource}/", query)
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


def test_api_lists_filter_by_theme_slug(api, themed):
    assert api_names(api, "pairings", {"theme": "flood-management"}) == {"Hat Yai – Penang"}
    assert api_names(api, "pairings", {"theme": ["flood-management", "urban-mobility"]}) == {
        "Hat Yai – Penang",
        "Penang – Seoul",
    }
    assert api_names(api, "activities", {"theme": "flood-management"}) == {"Sponge city visit"}
    assert api_names(api, "thematic-streams", {"theme": "flood-management"}, "name") == {
        "NbS for flood management"
    }
    assert api_names(api, "sources", {"theme": "flood-management"}) == {"Flood report"}
    assert api_names(api, "sources", {"theme": "urban-mobility"}) == set()


def test_a_broader_theme_takes_in_its_narrower_ones(api, themed):
    # Flood management is filed under disaster risk reduction.
    assert api_names(api, "pairings", {"theme": "disaster-risk-reduction"}) == {"Hat Yai – Penang"}


def test_api_reads_and_writes_themes_as_slugs(themed, admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    url = f"/api/v1/pairings/{themed.mobility_pairing.pk}/"
    assert client.get(url).json()["themes"] == ["urban-mobility"]
    response = client.patch(url, {"themes": ["housing", "urban-mobility"]}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["themes"]) == ["housing", "urban-mobility"]
    assert set(themed.mobility_pairing.themes.values_list("slug", flat=True)) == {
        "housing",
        "urban-mobility",
    }
    refused = client.patch(url, {"themes": ["no-such-theme"]}, format="json")
    assert refused.status_code == 400
    assert "themes" in refused.json()["errors"]
    assert set(themed.mobility_pairing.themes.values_list("slug", flat=True)) == {
        "housing",
        "urban-mobility",
    }


def test_api_refuses_an_unknown_theme_in_words(api, themed):
    response = api.get("/api/v1/pairings/", {"theme": "atlantis"})
    assert response.status_code == 400
    assert "theme" in response.json()["errors"]


def test_list_pages_filter_by_theme(client, themed):
    page = client.get("/pairings/", {"theme": "flood-management"}).content.decode()
    assert "Hat Yai – Penang" in page and "Penang – Seoul" not in page
    assert "Hidden flood pairing" not in page
    page = client.get("/activities/", {"theme": "flood-management"}).content.decode()
    assert "Sponge city visit" in page and "Hidden flood workshop" not in page
    page = client.get("/streams/", {"theme": "urban-mobility"}).content.decode()
    assert "NbS for flood management" not in page
    page = client.get("/sources/", {"theme": "flood-management"}).content.decode()
    assert "Flood report" in page
    board = client.get("/partner-requests/", {"theme": "flood-management"}).content.decode()
    assert "flood retention" in board
    board = client.get("/partner-requests/", {"theme": "urban-mobility"}).content.decode()
    assert "flood retention" not in board


def test_an_unknown_theme_on_a_page_says_what_to_do(client, themed):
    response = client.get("/partner-requests/", {"theme": "atlantis"})
    assert response.status_code == 200
    assert "Choose a theme listed on" in response.content.decode()
    response = client.get("/pairings/", {"theme": "atlantis"})
    assert response.status_code == 200
    assert "Correct the filters" in response.content.decode()


def facet_counts(response) -> dict[str, int]:
    return {facet.theme.slug: facet.count for facet in response.context["theme_facets"]}


def test_facets_count_only_what_the_reader_may_see(client, themed, admin_user):
    assert facet_counts(client.get("/pairings/")) == {"flood-management": 1, "urban-mobility": 1}
    assert facet_counts(client.get("/activities/")) == {"flood-management": 1}
    client.force_login(admin_user)
    assert facet_counts(client.get("/pairings/")) == {"flood-management": 2, "urban-mobility": 1}
    assert facet_counts(client.get("/activities/")) == {"flood-management": 2}


def test_facets_follow_the_list_filters_and_link_to_the_theme(client, themed):
    response = client.get("/pairings/", {"q": "Seoul"})
    assert facet_counts(response) == {"urban-mobility": 1}
    page = response.content.decode()
    assert "Themes" in page
    assert "theme=urban-mobility" in page


def test_map_geojson_filters_by_theme(client, themed):
    lines = client.get("/map/pairings.geojson", {"theme": "flood-management"}).json()
    assert {f["properties"]["title"] for f in lines["features"]} == {"Hat Yai – Penang"}
    cities = client.get("/map/cities.geojson", {"theme": "flood-management"}).json()
    assert {f["properties"]["name"] for f in cities["features"]} == {"Hat Yai", "Penang"}


def test_search_finds_themes_and_records_by_theme_name(client, themed):
    response = client.get("/search/", {"q": "flood management"})
    groups = {group["label"]: group for group in response.context["groups"]}
    assert [t.slug for t in groups["Themes"]["results"]] == ["flood-management"]
    assert {p.title for p in groups["Pairings"]["results"]} == {"Hat Yai – Penang"}
    assert "Sponge city visit" in {a.title for a in groups["Activities"]["results"]}
    assert "Hidden flood workshop" not in {a.title for a in groups["Activities"]["results"]}


def test_theme_page_lists_what_the_reader_may_see(client, themed, admin_user):
    page = client.get("/themes/flood-management/").content.decode()
    for shown in (
        "NbS for flood management",
        "Hat Yai – Penang",
        "Sponge city visit",
        "Flood report",
    ):
        assert shown in page
    assert "Hidden flood" not in page
    assert "Disaster risk reduction" in page  # its broader theme
    client.force_login(admin_user)
    assert "Hidden flood pairing" in client.get("/themes/flood-management/").content.decode()
    assert client.get("/themes/no-such-theme/").status_code == 404
    assert "Flood management" in client.get("/themes/").content.decode()


def test_partner_suggestions_rank_cities_on_the_request_themes(themed):
    from core.visibility import visible_to
    from partners.ranking import suggest_partners

    # Jakarta worked on nothing the request's words name, only on its theme.
    jakarta = factories.CityFactory(name="Jakarta", slug="jakarta", country="ID")
    kuching = factories.CityFactory(name="Kuching", slug="kuching", country="MY")
    on_theme = factories.PairingFactory(
        programme=factories.ProgrammeFactory(), title="Jakarta – Kuching", cities=[jakarta, kuching]
    )
    on_theme.themes.add(Theme.objects.get(slug="flood-management"))
    arguments = {
        "city": themed.hat_yai,
        "need": themed.request.theme,
        "visible": lambda queryset: visible_to(None, queryset),
    }
    without = {s.city.name for s in suggest_partners(**arguments)}
    assert "Jakarta" not in without
    found = suggest_partners(**arguments, themes=list(themed.request.themes.all()))
    by_name = {s.city.name: s for s in found}
    assert "works on flood management in 1 pairing" in by_name["Jakarta"].reasons
    # An unpublished pairing on the theme is no evidence for an anonymous reader.
    assert "Secretville" not in by_name
    assert "Hat Yai" not in by_name


def test_request_page_gives_the_theme_as_a_reason(client, themed):
    jakarta = factories.CityFactory(name="Jakarta", slug="jakarta", country="ID")
    pairing = factories.PairingFactory(title="Jakarta – Surabaya", cities=[jakarta])
    pairing.themes.add(themed.flood)
    page = client.get(f"/partner-requests/{themed.request.pk}/").content.decode()
    assert "works on flood management in 1 pairing" in page


def test_the_change_feed_tells_signed_in_readers_of_themes(django_user_model):
    """A theme is public: a signed-in reader's feed has its changes."""
    from tests.helpers import token_client

    reader = token_client(django_user_model.objects.create_user("reader", password="x"))
    theme = Theme.objects.create(slug="night-markets", name="Night markets")

    def feed(model):
        response = reader.get("/api/v1/changes/", {"page_size": 200})
        assert response.status_code == 200, response.content
        return [e for e in response.json()["results"] if e["model"] == model]

    assert str(theme.pk) in {entry["object_id"] for entry in feed("themes.Theme")}
