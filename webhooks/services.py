"""Webhooks: find the changes each subscription is owed, deliver them, retry, disable.

The change history (django-pghistory's events, written by triggers in the same transaction
as the change) is the outbox: a rolled-back change leaves no event, so nothing is ever
sent for it. On commit of a change a dispatch job is queued (``signals``); it creates one
``Delivery`` per (subscription, event) — unique, the idempotency key — for the events the
owner may see, and queues a delivery job for each new one. A periodic dispatch catches the
changes that send no signal (bulk ``queryset.update()``, raw SQL).
"""

import datetime
import logging
import time

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from core.history import event_models_of
from history.api import (
    FEED_PARTS,
    ChangeFeedView,
    HistoryEntrySerializer,
    feed_filter,
    feed_owners,
)
from history.reading import describe, tracked_models
from webhooks.addresses import UnsafeAddress, check_url
from webhooks.choices import DeliveryStatus
from webhooks.models import Delivery, Subscription
from webhooks.sending import post, signature

logger = logging.getLogger(__name__)

# How far back a dispatch looks for events it has not seen: an event's time is its
# transaction's start, so a long transaction's events may be older than the last dispatch.
LOOKBACK = datetime.timedelta(hours=1)
PROGRAMME_COLUMN = {
    "programmes.pairing",
    "programmes.thematicstream",
    "programmes.programmenetwork",
    "partners.partnerrequest",
    "activities.activity",
}
NETWORK_COLUMN = {"programmes.membership", "programmes.streammember", "programmes.programmenetwork"}
PARTS = {label.lower(): (column, parent.lower()) for label, (column, parent) in FEED_PARTS.items()}


def kind_of(label: str) -> str:
    """Return the kind of record an event belongs to: a part's is its record's."""
    label = label.lower()
    return PARTS[label][1] if label in PARTS else label


def kinds() -> list[str]:
    """Return the kinds of record a subscription may ask for (``app.model``)."""
    return sorted({kind_of(model._meta.label) for model in tracked_models()})


def events(models, since):
    """Return the events of ``models`` at or after ``since``, oldest first, annotated with
    the record a part belongs to (as the change feed does)."""
    from pghistory.models import Events

    event_models = [event for model in models for event in event_models_of(model)]
    queryset = ChangeFeedView().with_part_of(Events.objects.across(*event_models), models)
    return queryset.filter(pgh_created_at__gte=since).order_by("pgh_created_at", "pgh_id")


def programme_of(event) -> int | None:
    """Return the id of the programme the event's record belongs to, if any."""
    from django.apps import apps

    label = event.pgh_obj_model.lower()
    data = event.pgh_data or {}
    if label == "programmes.programme":
        return int(event.pgh_obj_id)
    if label in PROGRAMME_COLUMN:
        return data.get("programme_id")
    if label in PARTS:
        column, parent = PARTS[label]
        model = apps.get_model(parent)
        if any(field.name == "programme" for field in model._meta.fields):
            return (
                model._default_manager.filter(pk=data.get(column))
                .values_list("programme_id", flat=True)
                .first()
            )
    return None


def networks_of(event, programme_id) -> set[int]:
    """Return the networks the event concerns: its own, and its programme's."""
    from programmes.models import ProgrammeNetwork

    label = event.pgh_obj_model.lower()
    found = set()
    if label == "programmes.network":
        found.add(int(event.pgh_obj_id))
    if label in NETWORK_COLUMN and (event.pgh_data or {}).get("network_id"):
        found.add(event.pgh_data["network_id"])
    if programme_id:
        found |= set(
            ProgrammeNetwork.objects.filter(programme_id=programme_id).values_list(
                "network_id", flat=True
            )
        )
    return found


def matches(subscription: Subscription, event) -> bool:
    """Return True if the event passes the subscription's filters."""
    if subscription.kinds and kind_of(event.pgh_obj_model) not in subscription.kinds:
        return False
    if not (subscription.programme_id or subscription.network_id):
        return True
    programme_id = programme_of(event)
    if subscription.programme_id and programme_id != subscription.programme_id:
        return False
    return not subscription.network_id or subscription.network_id in networks_of(
        event, programme_id
    )


def models_for(subscription: Subscription) -> list:
    return [
        model
        for model in tracked_models()
        if not subscription.kinds or kind_of(model._meta.label) in subscription.kinds
    ]


def dispatch_events(now=None) -> int:
    """Create and queue the deliveries owed to every active subscription; return how many."""
    from webhooks.tasks import deliver

    now = now or timezone.now()
    created = 0
    for subscription in Subscription.objects.filter(is_active=True).select_related("owner"):
        since = max(subscription.starts_at, now - LOOKBACK)
        models = models_for(subscription)
        if not models:
            continue
        seen = set(
            subscription.deliveries.filter(event_at__gte=since).values_list("event_id", flat=True)
        )
        visible = events(models, since).filter(feed_filter(subscription.owner, models))
        for event in visible:
            if event.pgh_slug in seen or not matches(subscription, event):
                continue
            with transaction.atomic():
                delivery, new = Delivery.objects.get_or_create(
                    subscription=subscription,
                    event_id=event.pgh_slug,
                    defaults={
                        "event_at": event.pgh_created_at,
                        "model": event.pgh_obj_model,
                        "object_id": event.pgh_obj_id or "",
                    },
                )
                if new:
                    deliver.defer(delivery_id=delivery.pk)
                    created += 1
    return created


def entry_for(delivery: Delivery):
    """Return the change as the owner's change feed shows it, or None if they may no
    longer see it."""
    from django.apps import apps

    model = apps.get_model(delivery.model)
    found = list(
        events([model], delivery.event_at)
        .filter(pgh_slug=delivery.event_id)
        .filter(feed_filter(delivery.subscription.owner, [model]))
    )
    if not found:
        return None
    return describe(found, delivery.subscription.owner, owners=feed_owners())[0]


def body_of(entry) -> bytes:
    """Return the JSON body of a delivery: the change feed's entry for the change."""
    return JSONRenderer().render(HistoryEntrySerializer(entry).data)


def retry_delay(attempts: int) -> int:
    """Return the seconds to wait before the next attempt (doubling each time)."""
    return settings.WEBHOOKS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)


def deliver(delivery_id: int, now=None) -> str:
    """Send one delivery; on failure queue a retry or, after too many, disable the
    subscription and tell its owner. Return the delivery's status."""
    from webhooks.tasks import deliver as deliver_task

    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription__owner")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "already handled"
        subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
        delivery.subscription = subscription
        if not subscription.is_active:
            return delivery.status
        entry = entry_for(delivery)
        if entry is None:
            delivery.status = DeliveryStatus.WITHHELD
            delivery.save(update_fields=["status"])
            return delivery.status
        delivery.attempts += 1
        delivery.last_attempt_at = now or timezone.now()
        error, response_status = send(subscription, delivery, body_of(entry))
        delivery.response_status = response_status
        delivery.error = error
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
            subscription.failure_count = 0
        else:
            subscription.failure_count += 1
            if subscription.failure_count >= settings.WEBHOOKS_MAX_FAILURES:
                delivery.status = DeliveryStatus.FAILED
                disable(subscription, error)
            else:
                deliver_task.configure(
                    schedule_in={"seconds": retry_delay(delivery.attempts)}
                ).defer(delivery_id=delivery.pk)
        delivery.save()
        subscription.save(update_fields=["failure_count", "is_active", "disabled_reason"])
        return delivery.status


def send(subscription: Subscription, delivery: Delivery, body: bytes) -> tuple[str, int | None]:
    """POST the body; return the error in words ("" on success) and the HTTP status."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Registry-Event": delivery.event_id,
        "X-Registry-Delivery": str(delivery.pk),
        "X-Registry-Timestamp": str(timestamp),
        "X-Registry-Signature": signature(subscription.secret, timestamp, body),
    }
    try:
        response = post(check_url(subscription.url), body, headers)
    except UnsafeAddress as refused:
        return str(refused), None
    except httpx.HTTPError as failure:
        return f"Could not reach the address: {failure.__class__.__name__} {failure}", None
    if 200 <= response.status_code < 300:
        return "", response.status_code
    return f"The receiver answered HTTP {response.status_code}.", response.status_code


def disable(subscription: Subscription, error: str) -> None:
    """Disable a failing subscription and e-mail its owner once the change commits."""
    subscription.is_active = False
    subscription.disabled_reason = (
        f"Disabled after {subscription.failure_count} failed attempts in a row; the last: {error}"
    )
    owner = subscription.owner
    if not owner.email:
        return
    message = (
        f"Your webhook subscription to {subscription.url} was disabled: "
        f"{subscription.disabled_reason}\n\n"
        "Fix the receiver, then set the subscription active again (PATCH "
        f'/api/v1/webhooks/{subscription.pk}/ with {{"is_active": true}}); the changes '
        "not yet delivered are sent then."
    )
    transaction.on_commit(
        lambda: send_mail(
            "City Pairing Registry: webhook disabled",
            message,
            None,
            [owner.email],
            fail_silently=True,
        )
    )


def subscription_resume(subscription: Subscription) -> None:
    """Reset the failures of a subscription set active again and queue what it is owed."""
    from webhooks.tasks import deliver as deliver_task

    subscription.failure_count = 0
    subscription.disabled_reason = ""
    subscription.save(update_fields=["failure_count", "disabled_reason"])
    for delivery_id in subscription.deliveries.filter(Q(status=DeliveryStatus.PENDING)).values_list(
        "pk", flat=True
    ):
        deliver_task.defer(delivery_id=delivery_id)
