"""Who reads and writes: anonymous readers, partners' tokens, permissions, rate limits."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from activities.models import Activity
from programmes.models import Pairing
from tests import factories

CITY = {"name": "Da Nang", "slug": "da-nang", "country": "VN"}


def test_anonymous_reads_published_records(api, db):
    factories.PairingFactory(title="Visible")
    assert api.get("/api/v1/pairings/").json()["count"] == 1


def test_anonymous_and_partners_do_not_see_unpublished_records(api, partner_api, db):
    hidden_programme = factories.ProgrammeFactory(is_published=False)
    hidden = factories.PairingFactory(is_published=False)
    in_hidden_programme = factories.PairingFactory(programme=hidden_programme)
    activity = factories.ActivityFactory(is_published=False)
    for client in (api, partner_api):
        assert client.get("/api/v1/pairings/").json()["count"] == 0
        assert client.get(f"/api/v1/pairings/{hidden.pk}/").status_code == 404
        assert client.get(f"/api/v1/pairings/{in_hidden_programme.pk}/").status_code == 404
        assert client.get(f"/api/v1/programmes/{hidden_programme.pk}/").status_code == 404
        assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == 404


def test_admins_see_unpublished_records_and_staff_status_alone_does_not(admin_api, staff_api, db):
    factories.PairingFactory(is_published=False)
    assert admin_api.get("/api/v1/pairings/").json()["count"] == 1
    assert staff_api.get("/api/v1/pairings/").json()["count"] == 0


def test_an_activity_of_an_unpublished_pairing_is_hidden_with_it(api, admin_api, db):
    pairing = factories.PairingFactory(is_published=False)
    activity = factories.ActivityFactory(programme=pairing.programme, pairing=pairing)
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert admin_api.get(f"/api/v1/activities/{activity.pk}/").json()["pairing"]["id"] == pairing.pk


def test_unknown_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/cities/").status_code == 401


def test_non_ascii_token_is_401_not_500(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token caf\xe9")
    assert client.get("/api/v1/cities/").status_code == 401


def test_expired_token_is_refused(partner, db):
    token, key = AuthToken.objects.create(user=partner, expiry=datetime.timedelta(days=1))
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cities/").status_code == 401


def test_tokens_are_stored_hashed(partner, db):
    token, key = AuthToken.objects.create(user=partner)
    assert key not in token.digest
    assert not AuthToken.objects.filter(digest=key).exists()


def test_command_creates_a_token_and_prints_the_key_once(partner, capsys):
    call_command("api_token", "create", "partner", "--expires-days", "30")
    out, err = capsys.readouterr()
    key = out.strip()
    assert "shown only once" in err
    token = AuthToken.objects.get()
    assert token.user == partner
    assert token.expiry > timezone.now() + datetime.timedelta(days=29)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cities/").status_code == 200
    call_command("api_token", "list")
    listed, _ = capsys.readouterr()
    assert token.token_key in listed and key not in listed


def test_command_revokes_a_token(partner, capsys):
    call_command("api_token", "create", "partner")
    key = capsys.readouterr().out.strip()
    call_command("api_token", "revoke", key[:15])
    assert not AuthToken.objects.exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cities/").status_code == 401


def test_command_revokes_all_of_a_users_tokens(partner, capsys):
    call_command("api_token", "create", "partner")
    call_command("api_token", "create", "partner")
    call_command("api_token", "revoke", "--user", "partner", "--all")
    assert not AuthToken.objects.exists()


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "nobody")


def test_admin_lists_tokens(admin_client, partner):
    AuthToken.objects.create(user=partner)
    response = admin_client.get("/admin/knox/authtoken/")
    assert response.status_code == 200
    assert b"partner" in response.content


def test_rate_limits_anonymous_readers_and_partners_separately(api, partner_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "4/min"},
    }
    cache.clear()
    assert [api.get("/api/v1/cities/").status_code for _ in range(3)] == [200, 200, 429]
    limited = api.get("/api/v1/cities/")
    assert int(limited["Retry-After"]) > 0
    assert "throttled" in limited.json()["detail"]
    assert [partner_api.get("/api/v1/cities/").status_code for _ in range(5)] == [200] * 4 + [429]


def test_pairing_write_is_refused_to_a_partner(partner_api, db):
    programme = factories.ProgrammeFactory()
    cities = factories.CityFactory.create_batch(2)
    body = {"programme": programme.pk, "participants": [{"city": c.pk} for c in cities]}
    assert partner_api.post("/api/v1/pairings/", body, format="json").status_code == 403
    assert not Pairing.objects.exists()
    activity = factories.ActivityFactory()
    assert partner_api.delete(f"/api/v1/activities/{activity.pk}/").status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()
