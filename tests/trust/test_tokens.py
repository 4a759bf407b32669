"""Tokens: issued by `api_token create` with a lifetime, refused once revoked; rate
limits per token."""

import datetime

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient


def client_with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_revoked_token_is_401_for_reads_and_writes(world, capsys):
    call_command("api_token", "create", "officer-a")
    key = capsys.readouterr().out.strip()
    client = client_with(key)
    url = f"/api/v1/pairings/{world.pairing_a.pk}/"
    assert client.get(f"/api/v1/pairings/{world.hidden_a.pk}/").status_code == 200
    assert client.patch(url, {"description": "Before revoking"}, format="json").status_code == 200

    call_command("api_token", "revoke", key[:15])
    assert client.get(url).status_code == 401
    assert client.patch(url, {"description": "After revoking"}, format="json").status_code == 401
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.description == "Before revoking"


def test_tokens_are_throttled_per_user(world, settings, officer_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }
    cache.clear()
    url = f"/api/v1/pairings/{world.pairing_a.pk}/history/"
    statuses = [officer_api.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/cities/").status_code for _ in range(3)] == [200, 200, 429]


def created_token(capsys, *options):
    call_command("api_token", "create", "officer-a", *options)
    key = capsys.readouterr().out.strip()
    return AuthToken.objects.get(token_key=key[:15])


def days_left(token) -> int:
    return round((token.expiry - timezone.now()) / datetime.timedelta(days=1))


def test_a_new_token_expires_after_the_default_lifetime(world, capsys, settings):
    assert days_left(created_token(capsys)) == settings.API_TOKEN_DAYS == 365


def test_expires_days_gives_another_lifetime_and_no_expiry_none(world, capsys):
    assert days_left(created_token(capsys, "--expires-days", "30")) == 30
    assert created_token(capsys, "--no-expiry").expiry is None


def test_the_admin_offers_the_default_lifetime_for_a_new_token(world, client):
    client.force_login(world.admin)
    form = client.get("/admin/knox/authtoken/add/").context["adminform"].form
    expected = timezone.now() + datetime.timedelta(days=365)
    assert abs(form.initial["expiry"] - expected) < datetime.timedelta(minutes=1)
