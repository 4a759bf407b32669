"""Anonymous readers' filter form class is built once per process, and stays correct."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from programmes.filtersets import PairingFilterSet
from tests import factories


def filterset_for(user, **params):
    request = RequestFactory().get("/api/v1/pairings/", params)
    request.user = user
    return PairingFilterSet(request.GET, request=request)


def test_anonymous_readers_share_one_form_class_signed_in_ones_get_their_own(db, admin_user):
    first = filterset_for(AnonymousUser()).get_form_class()
    assert filterset_for(AnonymousUser()).get_form_class() is first
    assert filterset_for(admin_user).get_form_class() is not first


def test_the_kept_form_class_sees_records_made_after_it(api, db):
    assert filterset_for(AnonymousUser()).is_valid()  # the form class is made and kept
    programme = factories.ProgrammeFactory(slug="made-later")
    pairing = factories.PairingFactory(programme=programme)
    hidden = factories.ProgrammeFactory(slug="hidden-later", is_published=False)
    body = api.get("/api/v1/pairings/", {"programme": "made-later"}).json()
    assert [row["id"] for row in body["results"]] == [pairing.pk]
    refused = api.get("/api/v1/pairings/", {"programme": hidden.slug})
    assert refused.status_code == 400


def test_a_signed_in_readers_filters_leave_the_shared_ones_untouched(api, db, admin_user):
    hidden = factories.ProgrammeFactory(slug="hidden-one", is_published=False)
    before = {name: dict(f.extra) for name, f in PairingFilterSet.base_filters.items()}
    admins = filterset_for(admin_user, programme="hidden-one")
    assert admins.is_valid(), admins.errors  # the admin's choices include the hidden one
    assert {name: dict(f.extra) for name, f in PairingFilterSet.base_filters.items()} == before
    assert all(f.parent is admins for f in admins.filters.values())
    anonymous = filterset_for(AnonymousUser(), programme=hidden.slug)
    assert not anonymous.is_valid()
    assert api.get("/api/v1/pairings/", {"programme": hidden.slug}).status_code == 400
    assert api.get("/api/v1/pairings/", {"q": "x"}).status_code == 200  # a method filter
