"""Publishing a source: its programme's officers, on the page and through the API."""

import pytest
from rest_framework.test import APIClient

from sources.models import Citation, Source
from tests.sources.conftest import NEWS
from tests.trust.conftest import token_client


@pytest.fixture
def draft(team):
    return Source.objects.create(title="News", slug="news", text=NEWS, programme=team.programme)


def url(source) -> str:
    return f"/api/v1/sources/{source.pk}/"


def test_the_programmes_officer_publishes_a_source_through_the_api(officer_api, draft):
    assert APIClient().get(url(draft)).status_code == 404
    response = officer_api.patch(url(draft), {"is_published": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["is_published"] is True
    draft.refresh_from_db()
    assert draft.is_published
    assert APIClient().get(url(draft)).status_code == 200
    assert APIClient().get(url(draft) + "text/").status_code == 200


def test_the_history_records_who_published_it(officer_api, draft):
    officer_api.patch(url(draft), {"is_published": True}, format="json")
    entries = officer_api.get(url(draft) + "history/").json()["results"]
    changed = [change["field"] for entry in entries for change in entry.get("changes", []) or []]
    assert "is_published" in changed, entries


def test_the_officer_takes_a_source_back(officer_api, draft):
    draft.is_published = True
    draft.save()
    response = officer_api.patch(url(draft), {"is_published": False}, format="json")
    assert response.status_code == 200
    assert APIClient().get(url(draft)).status_code == 404


def test_another_networks_officer_may_not_publish_it(team, draft):
    other = token_client(team.other_officer)
    # Unpublished, it is not theirs to see: 404.
    assert other.patch(url(draft), {"is_published": True}, format="json").status_code == 404
    draft.is_published = True
    draft.save()
    # Published, they read it, and may not take it back: 403.
    response = other.patch(url(draft), {"is_published": False}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.is_published


def test_anonymous_and_readers_may_not_publish(team, draft):
    draft.is_published = True
    draft.save()
    assert APIClient().patch(url(draft), {"is_published": False}, format="json").status_code in (
        401,
        403,
    )
    reader = token_client(team.reader)
    assert reader.patch(url(draft), {"is_published": False}, format="json").status_code == 403


def test_the_officer_may_not_move_a_source_to_another_networks_programme(officer_api, team, draft):
    response = officer_api.patch(url(draft), {"programme": team.other_programme.pk}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.programme == team.programme


def test_deleting_a_source_stays_an_administrators(officer_api, draft):
    assert officer_api.delete(url(draft)).status_code == 403
    assert Source.objects.filter(pk=draft.pk).exists()


def test_a_registry_source_is_no_officers_to_publish(officer_api, team):
    own = Source.objects.create(title="Seed", slug="seed", text=NEWS)
    assert officer_api.patch(url(own), {"notes": "x"}, format="json").status_code == 403


def test_the_officer_unpublishes_on_the_page(client, team, draft):
    draft.is_published = True
    draft.save()
    client.force_login(team.other_officer)
    assert client.post("/sources/news/publish/", {"published": "no"}).status_code == 403
    client.force_login(team.officer)
    assert client.post("/sources/news/publish/", {"published": "no"}).status_code == 302
    client.logout()
    assert client.get("/sources/news/").status_code == 404


def feed_ids(user, model: str) -> set[int]:
    response = token_client(user).get("/api/v1/changes/", {"model": model})
    assert response.status_code == 200, response.content
    return {int(entry["object_id"]) for entry in response.json()["results"]}


def test_the_change_feed_shows_a_draft_source_and_its_quotes_to_its_officers_only(team, draft):
    """The feed (and so every webhook) tells of a source's changes while the reader may see
    it: its programme's officers before it is published, everyone after."""
    citation = Citation.objects.create(source=draft, record=team.wichit, quote=NEWS[:40])
    assert draft.pk in feed_ids(team.officer, "sources.source")
    assert citation.pk in feed_ids(team.officer, "sources.citation")
    for reader in (team.other_officer, team.reader):
        assert draft.pk not in feed_ids(reader, "sources.source")
        assert citation.pk not in feed_ids(reader, "sources.citation")
    draft.is_published = True
    draft.save()
    assert draft.pk in feed_ids(team.reader, "sources.source")
    assert citation.pk in feed_ids(team.reader, "sources.citation")
