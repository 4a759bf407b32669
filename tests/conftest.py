"""Shared fixtures: factories' objects and a browser for end-to-end tests."""

import pytest
from django.core.cache import cache

from tests import factories


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
def city(db):
    return factories.CityFactory()


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


@pytest.fixture
def stream(programme):
    return factories.ThematicStreamFactory(programme=programme)
