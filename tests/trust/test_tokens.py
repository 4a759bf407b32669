"""Tokens: issued by `api_token create`, refused once revoked; rate limits per token."""

from django.core.cache import cache
from django.core.management import call_command
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
