"""Fixtures for the API tests: clients with and without tokens, no rate limits by default."""

import pytest

from tests.helpers import token_client


@pytest.fixture(autouse=True)
def _without_rate_limits(no_throttling):
    """Every API test runs without rate limits (tests/conftest.py; one switches them on)."""


@pytest.fixture
def partner(django_user_model):
    """A partner's user: a token, no write permission, not staff."""
    return django_user_model.objects.create_user("partner", password="x")


@pytest.fixture
def partner_api(partner):
    return token_client(partner)


@pytest.fixture
def staff_api(django_user_model):
    """Staff status alone grants no reading of unpublished records (core.visibility)."""
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    return token_client(user)


@pytest.fixture
def admin_api(django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    return token_client(user)
