"""Input no page can use is a clear 400 (or a form error), never a 500.

A NUL byte cannot be stored or even searched for in PostgreSQL (``/search/?q=%00`` was a
500); a user name of 256 characters broke the login throttle's record (django-axes).
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from activities.models import Activity
from tests.views.test_forms import activity_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=Wichit%00",
        "/cities/?q=%00",
        "/activities/?ordering=%00title",
        "/activities/calendar/?month=2026-03%00",
        "/map/?%00=1",
        "/cities/%00/",
        "/admin/login/?next=/%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400_page_that_says_why(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    text = response.content.decode()
    assert "holds a NUL byte (U+0000), which the registry cannot store" in text
    assert "remove it and send the request again" in text


def test_a_nul_byte_in_a_header_or_cookie_is_a_400(anonymous):
    assert anonymous.get("/", HTTP_USER_AGENT="bot\x00").status_code == 400
    anonymous.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert anonymous.get("/").status_code == 400


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_saved(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    client.raise_request_exception = False
    response = client.post("/activities/new/", activity_data(title="Study\x00visit"))
    assert response.status_code == 400
    assert "The field “title” holds a NUL byte" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_form_body_over_the_limit_is_413_in_words(client, settings, django_user_model):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    client.raise_request_exception = False
    response = client.post("/activities/new/", activity_data(description="x" * 2_000))
    assert response.status_code == 413
    assert "The form sent more than the registry accepts at once" in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("length", [151, 256, 5_000])
def test_a_user_name_longer_than_any_account_is_a_form_error(anonymous, url, length):
    response = anonymous.post(url, {"username": "x" * length, "password": "secret"})
    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert errors == [f"Ensure this value has at most 150 characters (it has {length})."]
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_counted_by_the_login_throttle(anonymous):
    response = anonymous.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="officer").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/activities/new/?pairing=" + "9" * 5_000,
        "/activities/new/?pairing=%C2%B2",  # "²": a digit to str.isdigit(), not to int()
        "/activities/calendar/?year=" + "9" * 5_000,
        "/activities/calendar/?year=%C2%B2",
        "/streams/options/?programme=" + "9" * 5_000,
        "/streams/options/?programme=%C2%B2",
    ],
)
def test_a_number_no_id_or_year_can_be_is_ignored(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    assert client.get(url).status_code == 200


def test_an_import_file_that_is_not_utf8_is_a_form_error(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

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
