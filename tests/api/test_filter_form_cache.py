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


def api_filterset(filterset_class, **params):
    from rest_framework.request import Request

    request = RequestFactory().get("/api/v1/pairings/", params)
    request.user = AnonymousUser()
    drf_request = Request(request)
    return filterset_class(drf_request.query_params, request=drf_request)


def test_an_api_reads_form_holds_only_the_fields_its_query_gives(db):
    """The API never renders its filter form: a field absent from the query string, whose
    empty value filters nothing, is not built (each form field is a deep copy)."""
    filterset = api_filterset(PairingFilterSet, country="TH", modified_since="2026-01-01T00:00Z")
    assert filterset.is_valid()
    assert set(filterset.form.fields) == {"country", "modified_since"}
    bad = api_filterset(PairingFilterSet, country="Narnia")
    assert not bad.is_valid() and set(bad.errors) == {"country"}
    # A page renders the whole panel.
    assert len(filterset_for(AnonymousUser(), country="TH").form.fields) == len(
        PairingFilterSet.base_filters
    )


def test_a_field_whose_absence_filters_stays_in_an_api_reads_form(db):
    import django_filters
    from django import forms

    from core.filtersets import BaseFilterSet
    from programmes.models import Pairing

    class Strict(django_filters.Filter):
        field_class = forms.BooleanField  # absent is False: it filters

    class Required(django_filters.CharFilter):
        pass

    class Checked(BaseFilterSet):
        verified_only = Strict(field_name="is_verified", exclude=True)
        title = Required(field_name="title", required=True)

        class Meta:
            model = Pairing
            fields = []

    factories.PairingFactory(title="Kept", is_verified=False)
    filterset = api_filterset(Checked, title="Kept")
    assert {"verified_only", "title"} <= set(filterset.form.fields)
    assert not api_filterset(Checked).is_valid()  # a required field, absent, is refused
