"""Webhook deliveries: signed, as the change feed shows the change, once, only on commit,
only what the subscriber may see; retried, then disabled with an e-mail.

Transactional tests: changes really commit (history events carry their transaction's
time, and deliveries follow commits).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from programmes.models import Pairing
from tests import factories
from tests.webhooks.conftest import queued_jobs, run_queued_jobs
from webhooks import services
from webhooks.choices import DeliveryStatus
from webhooks.models import Delivery
from webhooks.signals import enqueue_dispatch

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verify():
    """Return the ``verify`` function docs/webhooks.md shows to receivers."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


pytestmark = pytest.mark.django_db(transaction=True)


def rename(record, title):
    record.title = title
    record.save()


def test_a_committed_change_is_posted_signed_as_the_change_feed_shows_it(
    world, subscription, receiver, partner_api
):
    rename(world.pairing_a, "Wichit – Iloilo renamed")
    assert [job["task_name"] for job in queued_jobs()] == ["webhooks.dispatch"]

    run_queued_jobs()

    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    verify = documented_verify()
    assert verify("a-secret-of-the-partner", request.headers, request.body)
    assert not verify("another-secret", request.headers, request.body)
    assert not verify("a-secret-of-the-partner", request.headers, request.body + b" ")
    feed = partner_api.get("/api/v1/changes/", {"model": "programmes.pairing"}).json()
    assert receiver.bodies()[0] == feed["results"][0]
    assert receiver.bodies()[0]["changes"][0]["after"] == "Wichit – Iloilo renamed"
    assert request.headers["X-Registry-Event"] == feed["results"][0]["id"]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)


def test_a_change_queued_twice_is_delivered_once(world, subscription, receiver):
    rename(world.pairing_a, "Once")
    enqueue_dispatch()  # a second dispatch waiting: the queueing lock keeps one
    assert len(queued_jobs("webhooks.dispatch")) == 1
    services.dispatch_events()
    services.dispatch_events()
    delivery = Delivery.objects.get()
    from webhooks.tasks import deliver

    deliver.defer(delivery_id=delivery.pk)
    run_queued_jobs()
    services.deliver(delivery.pk)
    assert len(receiver.received) == 1


def test_a_rolled_back_change_is_never_delivered(world, subscription, receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        rename(world.pairing_a, "Never")
        raise RuntimeError("rolled back")
    assert queued_jobs() == []
    services.dispatch_events()
    run_queued_jobs()
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_nothing_is_sent_the_subscriber_may_not_see(world, subscription, receiver):
    rename(world.hidden_b, "Still a draft")
    factories.ActivityFactory(
        programme=world.programme_b, title="Another secret", is_published=False
    )
    run_queued_jobs()
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_a_record_hidden_before_sending_is_withheld(world, subscription, receiver):
    rename(world.pairing_b, "Seen, then hidden")
    services.dispatch_events()
    delivery = Delivery.objects.get()
    Pairing.objects.filter(pk=world.pairing_b.pk).update(is_published=False)
    run_queued_jobs()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHHELD
    assert receiver.received == []


def test_filters_send_only_the_chosen_kinds_and_programme(world, subscription, receiver):
    subscription.kinds = ["activities.activity"]
    subscription.programme = world.programme_a
    subscription.save()
    rename(world.pairing_a, "Not an activity")
    with transaction.atomic():
        rename(world.activity_b, "Other programme")
        rename(world.activity_a, "Sent")
    run_queued_jobs()
    sent = [(body["model"], body["object_id"]) for body in receiver.bodies()]
    assert sent == [("activities.Activity", str(world.activity_a.pk))]


def test_network_filter_sends_its_programmes_changes(world, subscription, receiver):
    subscription.network = world.network_b
    subscription.save()
    rename(world.pairing_a, "Network A's")
    rename(world.pairing_b, "Network B's")
    run_queued_jobs()
    sent = [(body["model"], body["object_id"]) for body in receiver.bodies()]
    assert sent == [("programmes.Pairing", str(world.pairing_b.pk))]


def test_a_failing_receiver_is_retried_with_back_off_then_disabled_with_an_email(
    world, subscription, receiver, settings
):
    settings.WEBHOOKS_MAX_FAILURES = 3
    settings.WEBHOOKS_RETRY_SECONDS = 60
    world.partner.email = "partner@example.org"
    world.partner.save()
    receiver.statuses = [500, 503, 500]
    rename(world.pairing_a, "Failing")
    run_queued_jobs(limit=1)  # the dispatch
    delivery = Delivery.objects.get()
    waits = []
    for _ in range(3):
        (job,) = queued_jobs("webhooks.deliver")
        before = timezone.now()
        run_queued_jobs(limit=1)
        for retry in queued_jobs("webhooks.deliver"):
            waits.append(retry["scheduled_at"] - before)
    assert len(receiver.received) == 3
    assert [round(wait / datetime.timedelta(seconds=1), -1) for wait in waits] == [60, 120]
    delivery.refresh_from_db()
    subscription.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "HTTP 500" in delivery.error
    assert not subscription.is_active
    assert subscription.failure_count == 3
    assert queued_jobs("webhooks.deliver") == []
    (message,) = mail.outbox
    assert message.to == ["partner@example.org"]
    assert "disabled" in message.body and subscription.url in message.body


def test_a_success_resets_the_failure_count(world, subscription, receiver):
    receiver.statuses = [500]
    rename(world.pairing_a, "Fails once")
    run_queued_jobs()
    subscription.refresh_from_db()
    assert subscription.failure_count == 0
    assert len(receiver.received) == 2
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def fake_dns(monkeypatch, answers: dict):
    """Resolve the names in ``answers`` to the given IP addresses, in turn per lookup."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            ip = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_the_delivery_connects_to_the_address_it_checked(
    world, subscription, receiver, monkeypatch
):
    fake_dns(monkeypatch, {"receiver.example": ["127.0.0.1"]})
    subscription.url = f"http://receiver.example:{receiver.port}/hook"
    subscription.save()
    rename(world.pairing_a, "By name")
    run_queued_jobs()
    (request,) = receiver.received
    assert request.headers["Host"] == f"receiver.example:{receiver.port}"


def test_a_name_that_now_resolves_to_loopback_is_not_contacted(
    world, subscription, receiver, settings, monkeypatch
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    fake_dns(monkeypatch, {"rebind.example": ["93.184.215.14", "127.0.0.1"]})
    subscription.url = f"http://rebind.example:{receiver.port}/hook"
    subscription.full_clean()  # public when subscribing
    subscription.save()
    rename(world.pairing_a, "Rebound")
    run_queued_jobs(limit=2)  # the dispatch and the first attempt
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert "loopback" in delivery.error
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1


def test_the_worker_in_one_shot_mode_delivers(world, subscription, receiver):
    from django.core.management import call_command

    rename(world.pairing_a, "By the worker")
    call_command("run_worker", "--one-shot", "--polling-interval", "0.2")
    assert len(receiver.received) == 1
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_link_change_is_sent_as_its_records_kind(world, subscription, receiver):
    """An activity's cities (a many-to-many link) are the activity's: a subscriber of
    activities learns of a city added, and not of a hidden activity's."""
    subscription.kinds = ["activities.activity"]
    subscription.save()
    world.activity_a.cities.add(world.makati)
    world.hidden_activity_b.cities.add(world.makati)
    run_queued_jobs()
    sent = [(body["model"], body["event"]) for body in receiver.bodies()]
    assert sent == [("activities.Activity_cities", "insert")]
    shown = {change["after_display"] for change in receiver.bodies()[0]["changes"]}
    assert "Makati (PH)" in shown
    # As the change feed names it: a part of the activity, added.
    body = receiver.bodies()[0]
    assert (body["is_part"], body["action"], body["subject"]) == (
        True,
        "added",
        "City: Makati (PH)",
    )
