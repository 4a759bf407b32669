"""Django admin: subscriptions with their delivery log, the deliveries read-only."""

from django.utils import timezone

from webhooks.models import Delivery, Subscription


def test_admin_shows_a_subscription_with_its_delivery_log(admin_client, django_user_model):
    owner = django_user_model.objects.create_user("partner-x")
    subscription = Subscription.objects.create(owner=owner, url="https://93.184.215.14/h")
    delivery = Delivery.objects.create(
        subscription=subscription,
        event_id="programmes.PairingEvent:7",
        event_at=timezone.now(),
        model="programmes.Pairing",
        status="delivered",
        attempts=1,
        response_status=204,
    )
    listing = admin_client.get("/admin/webhooks/subscription/")
    assert listing.status_code == 200 and "93.184.215.14" in listing.text
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/")
    assert page.status_code == 200
    assert "programmes.PairingEvent:7" in page.text
    log = admin_client.get("/admin/webhooks/delivery/")
    assert log.status_code == 200 and "programmes.PairingEvent:7" in log.text
    detail = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert detail.status_code == 200
    assert admin_client.get("/admin/webhooks/delivery/add/").status_code == 403


def test_the_model_refuses_unknown_kinds_and_unsafe_addresses(settings, django_user_model):
    import pytest
    from django.core.exceptions import ValidationError

    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    owner = django_user_model.objects.create_user("partner-y")
    subscription = Subscription(
        owner=owner, url="http://127.0.0.1/hook", kinds=["programmes.Pairing", "auth.user"]
    )
    with pytest.raises(ValidationError) as refused:
        subscription.full_clean()
    assert "loopback" in str(refused.value.message_dict["url"])
    assert "Unknown kind “auth.user”" in refused.value.message_dict["kinds"][0]
