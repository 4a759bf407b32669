"""Fixtures for the API tests: clients with and without tokens, no rate limits by default."""

import pytest
from django.contrib.auth.models import Permission
from knox.models import AuthToken
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _without_rate_limits(no_throttling):
    """Every API test runs without rate limits (tests/conftest.py; one switches them on)."""


@pytest.fixture
def api(db):
    """An anonymous client."""
    return APIClient()


def token_client(user) -> APIClient:
    _, key = AuthToken.objects.create(user=user, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def partner(django_user_model):
    """A partner's user: a token, no write permission, not staff."""
    return django_user_model.objects.create_user("partner", password="x")


@pytest.fixture
def partner_api(partner):
    return token_client(partner)


@pytest.fixture
def editor(django_user_model):
    """A user with every add/change/delete permission on the registry's models (not staff)."""
    user = django_user_model.objects.create_user("editor", password="x")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "cities",
                "programmes",
                "activities",
                "sources",
                "contacts",
                "partners",
            ]
        )
    )
    return user


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def staff_api(django_user_model):
    """Staff status alone grants no reading of unpublished records (core.visibility)."""
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    return token_client(user)


@pytest.fixture
def admin_api(django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    return token_client(user)
