"""Fixtures for the import tests: a small gazetteer (the full one takes ~10 s to build)."""

import pytest
from django.contrib.auth.models import Permission, User

from cities import matching
from cities.gazetteer import gazetteer


@pytest.fixture(autouse=True)
def small_gazetteer(monkeypatch):
    """Match against GeoNames places of 15,000+ inhabitants only."""
    monkeypatch.setattr(matching, "default_gazetteer", lambda: gazetteer(15000))
    return gazetteer(15000)


@pytest.fixture
def officer(db, client):
    """A user who may add and change cities, logged in on ``client``."""
    user = User.objects.create_user("officer", password="a long password 123")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_city", "change_city"]))
    client.force_login(user)
    return user
