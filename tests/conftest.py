"""Shared fixtures: factories' objects and a browser for end-to-end tests."""

import pytest

from tests import factories


@pytest.fixture
def city(db):
    return factories.CityFactory()


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


@pytest.fixture
def stream(programme):
    return factories.ThematicStreamFactory(programme=programme)
