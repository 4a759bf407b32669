import pytest

from tests.factories import PairingFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_registry_at_a_glance(client):
    PairingFactory(programme__name="Urban-Act City Pairing")
    response = client.get("/")
    assert response.status_code == 200
    assert "City Pairing Registry" in response.text
    assert "Urban-Act City Pairing" in response.text


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
