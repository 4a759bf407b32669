"""The seed data (fixtures/*.yaml), loaded once per test module and rolled back at the end,
and the users who read and write the partner pages."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from cities.models import City
from imports.seed.load import load_seed
from programmes.choices import StaffRole
from programmes.models import Network, NetworkStaff, Programme, ThematicStream

PASSWORD = "a-long-pass-phrase"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the seed once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_db(request):
    """Every test sees the seed (but in a module that sets ``WITHOUT_SEED = True``, whose
    tests make their own records); its own changes are rolled back after it."""
    if not getattr(request.module, "WITHOUT_SEED", False):
        request.getfixturevalue("seeded")  # before ``db``: the seed outlives each test
    request.getfixturevalue("db")


@pytest.fixture
def city():
    return lambda slug: City.objects.get(slug=slug)


@pytest.fixture
def stream():
    return lambda slug: ThematicStream.objects.select_related("programme").get(slug=slug)


@pytest.fixture
def urban_act():
    return Programme.objects.get(slug="urban-act-city-pairing")


@pytest.fixture
def officer(django_user_model):
    """A programme officer of UCLG ASPAC, which leads Urban-Act's city pairing."""
    user = django_user_model.objects.create_user("officer", password=PASSWORD)
    NetworkStaff.objects.create(
        user=user, network=Network.objects.get(slug="uclg-aspac"), role=StaffRole.OFFICER
    )
    return user


@pytest.fixture
def editor(django_user_model):
    """A user an admin granted the board's and pairings' permissions model-wide."""
    user = django_user_model.objects.create_user("editor", password=PASSWORD)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="partners", codename="add_partnerrequest")
        | Permission.objects.filter(
            content_type__app_label="programmes", codename__in=["add_pairing", "change_pairing"]
        )
    )
    return user


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password=PASSWORD)
