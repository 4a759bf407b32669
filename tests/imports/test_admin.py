"""Django admin: the same resources behind its Import and Export buttons."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import City
from tests.factories import CityFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


def test_admin_import_previews_then_confirms(admin_client):
    CityFactory(name="Bacolod", slug="bacolod", country="PH", population=600_000)
    content = b"slug,name,country,population\nbacolod,Bacolod,PH,610000\n"
    url = reverse("admin:cities_city_import")
    response = admin_client.post(
        url, {"import_file": SimpleUploadedFile("c.csv", content), "format": "0"}
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert City.objects.get(slug="bacolod").population == 600_000

    admin_client.post(reverse("admin:cities_city_process_import"), confirm.initial)
    assert City.objects.get(slug="bacolod").population == 610_000


def test_admin_import_of_a_bad_file_offers_no_confirm(admin_client):
    content = b"slug,name,country\n,Bacolodd,Atlantis\n"
    response = admin_client.post(
        reverse("admin:cities_city_import"),
        {"import_file": SimpleUploadedFile("c.csv", content), "format": "0"},
    )
    assert "confirm_form" not in response.context
    assert "unknown country" in response.content.decode()
    assert not City.objects.exists()


def test_admin_export_writes_the_import_columns(admin_client):
    CityFactory(slug="hue", name="Huế", country="VN")
    response = admin_client.post(
        reverse("admin:cities_city_export"),
        {"format": "0", "cityresource_slug": True, "cityresource_name": True},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").splitlines() == ["slug,name", "hue,Huế"]
