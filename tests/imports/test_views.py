"""The officers' import pages: upload → preview → confirm, for users allowed to write."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import City
from tests.factories import CityFactory

CSV_OK = "slug,name,country,population\nbacolod,Bacolod,PH,610000\n,Cebu City,PH,\n"
CSV_BAD = "slug,name,country,population\nbacolod,Bacolod,PH,610000\n,Bacolodd,PH,\n"


@pytest.fixture
def bacolod(db):
    return CityFactory(name="Bacolod", slug="bacolod", country="PH", population=600_000)


def upload(client, content: str, name: str = "cities.csv"):
    url = reverse("imports:upload", kwargs={"kind": "cities"})
    return client.post(url, {"file": SimpleUploadedFile(name, content.encode())})


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("imports:upload", kwargs={"kind": "cities"}))
    assert response.status_code == 302


def test_user_without_add_and_change_permission_is_refused(client, db):
    client.force_login(User.objects.create_user("reader"))
    assert client.get(reverse("imports:upload", kwargs={"kind": "cities"})).status_code == 403


def test_preview_lists_rows_and_writes_nothing(client, officer, bacolod):
    response = upload(client, CSV_OK)
    assert response.status_code == 200
    assert [row.status for row in response.context["rows"]] == ["updated", "new"]
    assert "population: “600000” → “610000”" in response.context["rows"][0].changes
    assert response.context["token"]
    assert not City.objects.filter(name="Cebu City").exists()


def test_confirm_imports_the_previewed_file_in_one_go(client, officer, bacolod):
    token = upload(client, CSV_OK).context["token"]
    response = client.post(
        reverse("imports:confirm", kwargs={"kind": "cities"}), {"token": token}, follow=True
    )
    assert "1 new, 1 updated, 0 unchanged" in response.content.decode()
    bacolod.refresh_from_db()
    assert bacolod.population == 610_000
    assert City.objects.get(name="Cebu City").geonames_id is not None


def test_confirmed_file_cannot_be_imported_twice_with_the_same_token(client, officer, bacolod):
    token = upload(client, CSV_OK).context["token"]
    url = reverse("imports:confirm", kwargs={"kind": "cities"})
    client.post(url, {"token": token})
    response = client.post(url, {"token": token}, follow=True)
    assert "already imported or has expired" in response.content.decode()
    assert City.objects.filter(name="Cebu City").count() == 1


def test_rows_with_errors_are_listed_with_their_line_and_left_out(client, officer, bacolod):
    response = upload(client, CSV_BAD)
    page = response.content.decode()
    assert not response.context["rejected"]
    assert "did you mean “Bacolod” (bacolod)?" in page
    bad = response.context["rows"][1]
    assert (bad.line, bad.record, bad.status) == (3, "Bacolodd", "error")
    assert "1 row cannot be imported" in page and "Nothing has been" in page
    bacolod.refresh_from_db()
    assert bacolod.population == 600_000

    confirmed = client.post(
        reverse("imports:confirm", kwargs={"kind": "cities"}),
        {"token": response.context["token"]},
        follow=True,
    )
    assert "1 row with errors left out (line 3)" in confirmed.content.decode()
    bacolod.refresh_from_db()
    assert bacolod.population == 610_000
    assert not City.objects.filter(name="Bacolodd").exists()


def test_file_whose_every_row_fails_offers_no_confirm(client, officer, bacolod):
    response = upload(client, "slug,name,country\n,Bacolodd,PH\n")
    assert response.context["rejected"]
    assert "token" not in response.context
    assert "This file cannot be imported yet" in response.content.decode()


def test_forged_token_is_refused(client, officer, bacolod):
    response = client.post(
        reverse("imports:confirm", kwargs={"kind": "cities"}), {"token": "x:y:z"}, follow=True
    )
    assert "expired or is not valid" in response.content.decode()


def test_token_of_another_user_is_refused(client, officer, bacolod):
    token = upload(client, CSV_OK).context["token"]
    other = User.objects.create_user("other")
    other.user_permissions.add(*officer.user_permissions.all())
    client.force_login(other)
    response = client.post(reverse("imports:confirm", kwargs={"kind": "cities"}), {"token": token})
    assert response.status_code == 403


def test_file_of_another_format_is_refused_with_advice(client, officer):
    response = upload(client, "hello", name="cities.txt")
    assert "is not a CSV, XLSX or JSON file" in response.content.decode()


def test_index_lists_every_kind_with_its_columns(client, officer):
    page = client.get(reverse("imports:index")).content.decode()
    for label in ("Cities", "Networks", "Memberships", "Pairings", "Activities"):
        assert label in page
    assert "programme, stream, participants" in page


@pytest.mark.django_db
def test_an_import_file_that_is_not_utf8_is_a_form_error(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    response = client.post(
        "/import/cities/",
        {"file": SimpleUploadedFile("cities.csv", b"slug,name\nx,\xed\xa0\x80\n")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is not text in UTF-8 (byte 0xed at position 12 is not): save it as "
        "“CSV UTF-8” and upload it again."
    ]
