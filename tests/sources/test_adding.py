"""Officers bring documents in: upload or paste, checked by content, kept with their text."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.extract import PAGE_SEPARATOR
from sources.models import Source
from tests.intake.test_extract import make_pdf
from tests.sources.conftest import NEWS

pytestmark = pytest.mark.django_db


def upload(client, team, data: bytes, name: str, **fields):
    return client.post(
        "/sources/add/",
        {
            "file": SimpleUploadedFile(name, data),
            "title": fields.pop("title", "Iloilo and Wichit"),
            "kind": "news",
            "published_precision": "day",
            "programme": team.programme.pk,
            **fields,
        },
    )


def test_officer_uploads_a_pdf_and_its_text_is_kept_page_by_page(client, team):
    client.force_login(team.officer)
    response = upload(client, team, make_pdf(["Page one: Iloilo.", "Page two: Wichit."]), "a.pdf")
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sources/{source.slug}/"
    assert source.pages[0].strip() == "Page one: Iloilo."
    assert source.pages[1].strip() == "Page two: Wichit."
    assert source.text.count(PAGE_SEPARATOR) == 1
    assert source.content_type == "application/pdf"
    assert len(source.content_hash) == 64
    assert source.programme == team.programme
    assert not source.is_published
    assert source.file.read().startswith(b"%PDF-")


def test_the_same_file_twice_is_one_source(client, team):
    client.force_login(team.officer)
    data = NEWS.encode()
    upload(client, team, data, "news.txt")
    response = upload(client, team, data, "copy.txt", title="Another title")
    assert Source.objects.count() == 1
    assert response["Location"] == Source.objects.get().get_absolute_url()


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.4 this is no PDF at all", "broken.pdf", "damaged"),
        (make_pdf(["secret"], owner_password="o", user_password="u"), "locked.pdf", "password"),
        (NEWS.encode(), "report.pdf", "its content is text"),
        (b"   \n  ", "empty.txt", "empty"),
        (make_pdf([""]), "blank.pdf", "No text was found"),
    ],
)
def test_a_bad_file_gets_a_sentence_and_no_source(client, team, media, data, name, words):
    client.force_login(team.officer)
    response = upload(client, team, data, name)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Source.objects.exists()
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_a_file_over_the_size_limit_is_refused_in_words(client, team, settings):
    settings.SOURCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(team.officer)
    response = upload(client, team, b"x" * 5000 + NEWS.encode(), "big.txt")
    assert "the limit is" in response.content.decode()
    assert not Source.objects.exists()


def test_a_zip_bomb_docx_is_refused(client, team):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<a>" + " " * (300 * 1024 * 1024) + "</a>")
    client.force_login(team.officer)
    response = upload(client, team, buffer.getvalue(), "bomb.docx")
    assert response.status_code == 200
    assert "unpack" in response.content.decode()
    assert not Source.objects.exists()


def test_pasted_text_becomes_a_source(client, team):
    client.force_login(team.officer)
    response = client.post(
        "/sources/add/",
        {
            "text": NEWS,
            "title": "",
            "kind": "news",
            "published_precision": "day",
            "programme": team.programme.pk,
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert source.title == "Iloilo and Wichit sign a partnership" or source.title
    assert "March 13 to 16, 2023" in source.text
    assert not source.file


def test_an_officer_adds_only_to_their_own_programmes(client, team):
    client.force_login(team.officer)
    response = upload(client, team, NEWS.encode(), "n.txt", programme=team.other_programme.pk)
    assert response.status_code == 200
    assert not Source.objects.exists()


def test_a_reader_may_not_add_sources(client, team):
    client.force_login(team.reader)
    assert client.get("/sources/add/").status_code == 403


def test_an_unpublished_source_and_its_file_are_its_programmes_officers_only(client, team):
    client.force_login(team.officer)
    upload(client, team, NEWS.encode(), "news.txt")
    source = Source.objects.get()
    page, file = f"/sources/{source.slug}/", f"/sources/{source.slug}/file/"
    assert client.get(page).status_code == 200
    assert client.get(file).status_code == 200
    for user in (None, team.other_officer, team.reader):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(file).status_code == 404
        assert client.get("/search/?q=delegation").content.decode().count(source.title) == 0
    source.is_published = True
    source.save()
    client.logout()
    assert client.get(page).status_code == 200
    response = client.get(file)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == NEWS.encode()


def test_search_finds_a_document_and_its_passage(client, team):
    Source.objects.create(
        title="News",
        slug="news",
        text=NEWS + "<script>alert(1)</script>",
        is_published=True,
        programme=team.programme,
    )
    body = client.get("/search/?q=delegation").content.decode()
    assert "Documents (1)" in body
    assert "<mark>delegation</mark>" in body
    body = client.get("/search/?q=alert").content.decode()
    assert "<script>alert" not in body


def test_a_citys_page_lists_the_documents_naming_it_even_uncited(client, team):
    Source.objects.create(title="News", slug="news", text=NEWS, is_published=True)
    Source.objects.create(title="Hidden", slug="hidden", text=NEWS, programme=team.programme)
    body = client.get("/cities/wichit/").content.decode()
    assert "Documents that name Wichit" in body
    assert 'href="/sources/news/"' in body
    assert "<mark>Wichit</mark>" in body
    assert "/sources/hidden/" not in body


def test_source_detail_shows_its_text(client, team):
    Source.objects.create(
        title="News", slug="news", text="First page\fSecond page", is_published=True
    )
    body = client.get("/sources/news/").content.decode()
    head, page = body.split("</head>")
    assert "Second page" not in head
    assert "Page 2" in page and "Second page" in page


def test_the_programmes_officer_publishes_their_source(client, team):
    source = Source.objects.create(title="News", slug="news", text=NEWS, programme=team.programme)
    client.force_login(team.other_officer)
    assert client.post("/sources/news/publish/", {"published": "yes"}).status_code == 404
    client.force_login(team.officer)
    assert "Publish" in client.get("/sources/news/").content.decode()
    response = client.post("/sources/news/publish/", {"published": "yes"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.is_published
    client.logout()
    assert client.get("/sources/news/").status_code == 200
