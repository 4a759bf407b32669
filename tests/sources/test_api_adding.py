"""The sources API: documents in (multipart or JSON), their text, search, citations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pghistory.models import Events
from rest_framework.test import APIClient

from activities.models import Activity
from sources.models import Citation, Source
from tests import factories
from tests.sources.conftest import NEWS, token_client

pytestmark = pytest.mark.django_db


def test_post_a_file_then_read_its_text(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/",
        {"file": SimpleUploadedFile("news.txt", NEWS.encode()), "programme": team.programme.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    source_id = response.json()["id"]
    text = officer_api.get(f"/api/v1/sources/{source_id}/text/").json()
    assert "March 13 to 16, 2023" in text["text"]
    assert text["pages"] == [NEWS]
    again = officer_api.post(
        "/api/v1/sources/",
        {"file": SimpleUploadedFile("again.txt", NEWS.encode()), "programme": team.programme.pk},
        format="multipart",
    )
    assert again.status_code == 200
    assert again.json()["id"] == source_id


def test_post_json_text(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/",
        {"text": NEWS, "title": "News", "programme": team.programme.pk, "kind": "news"},
        format="json",
    )
    assert response.status_code == 201
    assert Source.objects.get().title == "News"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "   "}, "text"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_documents_are_a_400_in_words(officer_api, team, body, field):
    response = officer_api.post(
        "/api/v1/sources/", {**body, "programme": team.programme.pk}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Source.objects.exists()


def test_corrupt_pdf_upload_is_a_400(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/",
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7 garbage"), "programme": team.programme.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert "damaged" in response.json()["errors"]["file"][0]


def test_anonymous_and_readers_may_not_add(team):
    assert APIClient().post("/api/v1/sources/", {"text": NEWS}, format="json").status_code == 401
    reader = token_client(team.reader)
    assert reader.post("/api/v1/sources/", {"text": NEWS}, format="json").status_code == 403


def test_officer_may_not_add_to_another_programme(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/", {"text": NEWS, "programme": team.other_programme.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_unpublished_source_is_hidden_from_others_in_the_api(officer_api, team):
    source_id = officer_api.post(
        "/api/v1/sources/", {"text": NEWS, "programme": team.programme.pk}, format="json"
    ).json()["id"]
    for client in (APIClient(), token_client(team.other_officer)):
        assert client.get(f"/api/v1/sources/{source_id}/").status_code == 404
        assert client.get(f"/api/v1/sources/{source_id}/text/").status_code == 404
        assert client.get("/api/v1/sources/search/?q=delegation").json() == []


def test_search_answers_the_passage(team):
    Source.objects.create(title="News", slug="news", text=NEWS, is_published=True)
    found = APIClient().get("/api/v1/sources/search/?q=delegation").json()
    assert found[0]["title"] == "News"
    assert "«delegation»" in found[0]["passage"]


def cite(client, source, record, quote):
    return client.post(
        "/api/v1/citations/",
        {"source": source.pk, "record_type": "activity", "record": record.pk, "quote": quote},
        format="json",
    )


@pytest.fixture
def activity(team):
    return factories.ActivityFactory(programme=team.programme, title="Visit to Wichit")


@pytest.fixture
def news(team):
    return Source.objects.create(
        title="News", slug="news", text=NEWS, is_published=True, programme=team.programme
    )


def test_cite_a_quote_across_a_line_break_hyphen_and_case(officer_api, activity, news):
    response = cite(officer_api, news, activity, "agreed on a PILOT for waste-sorting in the old")
    assert response.status_code == 201, response.json()
    citation = Citation.objects.get()
    assert citation.record == activity
    assert citation.quote == "agreed on a pilot for waste-\nsorting in the old"
    assert citation.locator == "p. 1, line 3"
    assert (
        cite(
            officer_api, news, activity, "agreed on a pilot for waste-sorting in the old"
        ).status_code
        == 200
    )
    assert Citation.objects.count() == 1


def test_a_quote_not_in_the_source_is_refused_with_the_closest_passage(officer_api, activity, news):
    response = cite(
        officer_api, news, activity, "A delegation from the City of Iloilo went to Wichit"
    )
    assert response.status_code == 400
    body = response.json()["errors"]
    assert "not in the source" in body["quote"][0]
    assert "delegation from the City of Iloilo" in body["closest"]["passage"]
    assert body["closest"]["locator"].startswith("p. 1")
    assert not Citation.objects.exists()


def test_citing_needs_the_right_to_edit_the_record(team, activity, news):
    other = token_client(team.other_officer)
    response = cite(other, news, activity, "The two cities agreed")
    assert response.status_code in (400, 403)
    assert not Citation.objects.exists()


def test_citations_are_history_tracked(officer_api, activity, news):
    cite(officer_api, news, activity, "The two cities agreed")
    events = Events.objects.tracks(Citation.objects.get())
    assert events.count() == 1
    assert events.get().pgh_context["channel"] == "api"


def test_cite_page_on_an_activity(client, team, activity, news):
    client.force_login(team.officer)
    page = f"/activities/{activity.pk}/cite/"
    assert "Cite a source" in client.get(f"/activities/{activity.pk}/").content.decode()
    response = client.post(page, {"source": news.pk, "quote": "no such words anywhere here at all"})
    assert response.status_code == 200
    assert "not in the source" in response.content.decode()
    response = client.post(page, {"source": news.pk, "quote": "The two cities agreed"})
    assert response.status_code == 302
    assert Activity.objects.get().citations.get().locator == "p. 1, line 3"


def test_the_schema_describes_the_new_operations(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/citations/" in schema["paths"]
    assert "/api/v1/sources/{id}/text/" in schema["paths"]
    body = schema["paths"]["/api/v1/sources/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body


def test_quotes_of_an_unpublished_source_stay_with_its_programmes_officers(client, team):
    hidden = Source.objects.create(
        title="Draft MoU", slug="draft-mou", text=NEWS, programme=team.programme
    )
    Citation.objects.create(source=hidden, record=team.wichit, quote="The two cities agreed")
    anonymous_page = client.get("/cities/wichit/").content.decode()
    assert "The two cities agreed" not in anonymous_page
    assert APIClient().get(f"/api/v1/cities/{team.wichit.pk}/").json()["citations"] == []
    client.force_login(team.officer)
    assert "The two cities agreed" in client.get("/cities/wichit/").content.decode()
    officer = token_client(team.officer)
    cited = officer.get(f"/api/v1/cities/{team.wichit.pk}/").json()["citations"]
    assert [c["quote"] for c in cited] == ["The two cities agreed"]
