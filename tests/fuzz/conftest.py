"""One registry for every fuzz test of a module (read-only tests: built once, rolled back)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from contacts.models import ContactRole, Person
from partners.models import PartnerRequest
from tests.pages import build_registry
from webhooks.models import Subscription


@pytest.fixture(scope="module")
def fuzz_registry(django_db_setup, django_db_blocker):
    """A small connected registry, a superuser and a partner request, for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry = build_registry(1)
        registry.admin = get_user_model().objects.create_superuser(
            "fuzz-admin", "fuzz@example.org", "a-long-pass-phrase"
        )
        registry.request = PartnerRequest.objects.create(
            city=registry.wichit, programme=registry.programme, theme="Flood retention"
        )
        registry.person = Person.objects.create(
            name="Wanphen Srisuk", organisation_city=registry.wichit
        )
        registry.contact_role = ContactRole.objects.create(
            person=registry.person, pairing=registry.pairing
        )
        registry.subscription = Subscription.objects.create(
            owner=registry.admin, url="http://127.0.0.1:9/fuzz"
        )
        yield registry
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_clients(fuzz_registry, db, settings):
    """Anonymous and signed-in clients that report a server error as a response."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    cache.clear()
    signed_in = Client()
    signed_in.force_login(fuzz_registry.admin)
    return SimpleNamespace(anonymous=Client(), signed_in=signed_in)


def server_errors(client, urls) -> list[str]:
    """GET each of ``urls``; return a line per 5xx answer or exception."""
    failures = []
    for url in urls:
        try:
            status = client.get(url).status_code
        except Exception as error:  # the test client re-raises what a view raised
            failures.append(f"{url[:200]} -> {type(error).__name__}: {str(error)[:200]}")
            continue
        if status >= 500:
            failures.append(f"{url[:200]} -> {status}")
    return failures
