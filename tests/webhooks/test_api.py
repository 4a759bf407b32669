"""``/api/v1/webhooks/``: partners' and admins' subscriptions, refusals in words, the log."""

import pytest
from django.utils import timezone

from tests import factories
from tests.trust.conftest import token_client
from webhooks.models import Delivery, Subscription

PUBLIC = "https://93.184.215.14/hook"


@pytest.fixture(autouse=True)
def production_addresses(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


def test_a_partner_subscribes_with_a_token_and_gets_a_secret(world, partner_api):
    answer = partner_api.post(
        "/api/v1/webhooks/",
        {"url": PUBLIC, "kinds": ["Programmes.Pairing"], "programme": world.programme_a.pk},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert len(body["secret"]) >= 32
    assert body["kinds"] == ["programmes.pairing"]
    assert body["owner"] == "partner-a"
    subscription = Subscription.objects.get()
    assert subscription.owner == world.partner and subscription.is_active


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"url": "http://127.0.0.1:8000/hook"}, "url", "loopback"),
        ({"url": "http://169.254.169.254/"}, "url", "link-local"),
        ({"url": "ftp://example.org/"}, "url", "http:// or https://"),
        ({"url": PUBLIC, "kinds": ["auth.user"]}, "kinds", "Unknown kind"),
        ({"url": PUBLIC, "secret": "short"}, "secret", "at least 16"),
    ],
)
def test_bad_subscriptions_are_refused_in_words(world, partner_api, data, field, words):
    answer = partner_api.post("/api/v1/webhooks/", data, format="json")
    assert answer.status_code == 400
    assert words in str(answer.json()), answer.json()
    assert not Subscription.objects.exists()


def test_a_programme_the_partner_may_not_see_is_refused(world, partner_api):
    hidden = factories.ProgrammeFactory(is_published=False)
    answer = partner_api.post(
        "/api/v1/webhooks/", {"url": PUBLIC, "programme": hidden.pk}, format="json"
    )
    assert answer.status_code == 400
    assert "No programme you may see" in answer.json()["errors"]["programme"][0]


def test_only_partners_and_admins_may_subscribe(world, officer_api, anonymous_api, admin_api):
    answer = officer_api.post("/api/v1/webhooks/", {"url": PUBLIC}, format="json")
    assert answer.status_code == 403
    assert "partner" in str(answer.json())
    assert officer_api.get("/api/v1/webhooks/").json()["results"] == []
    assert anonymous_api.get("/api/v1/webhooks/").status_code == 401
    assert admin_api.post("/api/v1/webhooks/", {"url": PUBLIC}, format="json").status_code == 201


def test_subscribers_see_only_their_own(world, admin_api, django_user_model):
    from programmes.choices import StaffRole
    from programmes.models import NetworkStaff

    mine = Subscription.objects.create(owner=world.partner, url=PUBLIC)
    other = django_user_model.objects.create_user("partner-b")
    NetworkStaff.objects.create(user=other, network=world.network_b, role=StaffRole.PARTNER)
    other_api = token_client(other)
    assert other_api.get("/api/v1/webhooks/").json()["results"] == []
    assert other_api.get(f"/api/v1/webhooks/{mine.pk}/").status_code == 404
    assert other_api.get(f"/api/v1/webhooks/{mine.pk}/deliveries/").status_code == 404
    assert len(admin_api.get("/api/v1/webhooks/").json()["results"]) == 1


def test_the_delivery_log(world, partner_api):
    subscription = Subscription.objects.create(owner=world.partner, url=PUBLIC)
    Delivery.objects.create(
        subscription=subscription,
        event_id="programmes.PairingEvent:1",
        event_at=timezone.now(),
        model="programmes.Pairing",
        object_id="1",
        status="failed",
        attempts=8,
        response_status=500,
        error="The receiver answered HTTP 500.",
    )
    answer = partner_api.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/")
    assert answer.status_code == 200
    (entry,) = answer.json()["results"]
    assert entry["event_id"] == "programmes.PairingEvent:1"
    assert (entry["status"], entry["attempts"], entry["response_status"]) == ("failed", 8, 500)


def test_setting_a_disabled_subscription_active_again_resets_its_failures(world, partner_api):
    subscription = Subscription.objects.create(
        owner=world.partner,
        url=PUBLIC,
        is_active=False,
        failure_count=8,
        disabled_reason="Disabled after 8 failed attempts",
    )
    answer = partner_api.patch(
        f"/api/v1/webhooks/{subscription.pk}/", {"is_active": True}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["failure_count"], answer.json()["disabled_reason"]) == (0, "")
