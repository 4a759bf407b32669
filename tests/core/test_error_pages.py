"""Error pages look like the site: 403 says why and where to go, 404 and 500 offer a way on."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.views import defaults

from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests import factories


def assert_site_page(html: str) -> None:
    """Assert ``html`` is a full page of the site: viewport, menu, favicon, description."""
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<nav aria-label="Main"' in html
    assert 'href="/cities/"' in html
    assert '<link rel="icon"' in html
    assert '<meta name="description" content="' in html


@pytest.fixture
def officer_of_another_programme(db, client, django_user_model):
    """An officer of CityNet (Urban-Act), and a pairing of IURC they may not edit."""
    citynet = factories.NetworkFactory(name="CityNet")
    urban_act = factories.ProgrammeFactory(name="Urban-Act")
    factories.ProgrammeNetworkFactory(programme=urban_act, network=citynet)
    iurc = factories.ProgrammeFactory(name="IURC")
    user = django_user_model.objects.create_user("officer", password="a-long-pass-phrase")
    NetworkStaff.objects.create(user=user, network=citynet, role=StaffRole.OFFICER)
    client.force_login(user)
    return factories.PairingFactory(programme=iurc, title="Bangkok – Prato")


def test_officer_denied_an_edit_sees_why_and_where_to_go(client, officer_of_another_programme):
    pairing = officer_of_another_programme
    response = client.get(f"/pairings/{pairing.pk}/edit/")
    assert response.status_code == 403
    html = response.text
    assert_site_page(html)
    assert (
        "Only officers of the networks running IURC can edit its pairings; "
        "administrators can edit any." in html
    )
    assert f'<a href="/pairings/{pairing.pk}/">Back to Bangkok – Prato</a>' in html
    assert "You are an officer of" in html and ">Urban-Act</a>" in html
    assert client.post(f"/pairings/{pairing.pk}/delete/").status_code == 403


def test_user_without_a_role_denied_adding_is_told_who_may(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x-pass-99"))
    response = client.get("/pairings/new/")
    assert response.status_code == 403
    assert "Only programme officers can add pairings" in response.text
    assert '<a href="/pairings/">Back to the pairings</a>' in response.text
    response = client.get(f"/cities/{factories.CityFactory(slug='penang').slug}/edit/")
    assert "Only administrators, and users an administrator has allowed to, can edit cities." in (
        response.text
    )


def test_visitor_asked_to_edit_goes_to_the_login_page(client, db):
    pairing = factories.PairingFactory()
    response = client.get(f"/pairings/{pairing.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_other_refusals_show_their_reason_on_the_same_page(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/import/cities/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied("Needs permission to add."))
    assert response.status_code == 403
    assert "Needs permission to add." in response.content.decode()
    assert_site_page(response.content.decode())


def test_unknown_address_gets_the_sites_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(response.text)
    assert "Page not found" in response.text
    assert 'name="q"' in response.text  # the search box to find it


def test_500_page_needs_neither_database_nor_request_context():
    """Rendered with the database blocked (no django_db mark) and no context processors."""
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_page(html)
    assert "Something went wrong on our side" in html


def test_favicon_is_a_static_file_and_its_old_address_redirects(client, db):
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


def test_refused_form_says_why_in_the_sites_page(db, django_user_model):
    """A form whose CSRF token the registry cannot check (an expired page) is a page of
    the site, not Django's bare "CSRF verification failed"."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("admin", "a@x.org", "pw-1234"))
    response = client.post("/pairings/new/", {"title": "x"})
    assert response.status_code == 403
    assert_site_page(response.text)
    assert "The form could not be accepted" in response.text
    assert '<a href="/pairings/new/">Open the form again</a>' in response.text
