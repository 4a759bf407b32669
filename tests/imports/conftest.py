"""Fixtures for the import tests: a small gazetteer (the full one takes ~10 s to build)."""

import pytest

from cities import matching
from cities.gazetteer import gazetteer


@pytest.fixture(autouse=True)
def small_gazetteer(monkeypatch):
    """Match against GeoNames places of 15,000+ inhabitants only."""
    monkeypatch.setattr(matching, "default_gazetteer", lambda: gazetteer(15000))
    return gazetteer(15000)
