"""Shared fixtures: factories' objects and a browser for end-to-end tests."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories
from tests.api.data import api_registry  # noqa: F401 (a fixture: the API tests' registry)
from tests.helpers import token_client
from tests.pages import (  # noqa: F401 (the page tests' fixtures)
    officer,
    officer_client,
    reader_client,
    registry,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache, as with an empty database: a page cached by
    one test (the home page's country ranking) must not answer the next."""
    cache.clear()


@pytest.fixture
def no_throttling(settings):
    """Switch the API's rate limits off (a test may switch them back on)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(db):
    """An anonymous API client."""
    return APIClient()


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
def city(db):
    return factories.CityFactory()


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


@pytest.fixture
def stream(programme):
    return factories.ThematicStreamFactory(programme=programme)


@pytest.fixture
def fresh_shapes():
    """Nothing kept per shape or prepared from another test, before and after this one
    (core.api.shapes, core.statements)."""
    from core.api import shapes
    from core.statements import repeated

    shapes._shapes.clear()
    repeated.kept.clear()
    yield
    shapes._shapes.clear()
    repeated.kept.clear()
