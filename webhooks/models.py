"""Webhook subscriptions and their deliveries (the log)."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

from core.models import TimeStampedModel
from webhooks.choices import DeliveryStatus


class TransactionStart(models.Func):
    """PostgreSQL's ``CURRENT_TIMESTAMP``: the start of the current transaction, the time
    history events carry (Django's ``Now()`` is the statement's)."""

    template = "CURRENT_TIMESTAMP"
    output_field = models.DateTimeField()


def new_secret() -> str:
    """Return a random signing secret (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


class Subscription(TimeStampedModel):
    """A partner's address that receives the registry's changes as signed JSON POSTs.

    Filters narrow what is sent: kinds of record (``kinds``: model labels), one programme,
    one network; empty filters send every change the owner may see.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(
        "address",
        max_length=500,
        help_text="Where the changes are POSTed: an http or https address.",
    )
    secret = models.CharField(
        max_length=200,
        default=new_secret,
        help_text="Signs each delivery (HMAC-SHA256); keep it private.",
    )
    kinds = ArrayField(
        models.CharField(max_length=100),
        blank=True,
        default=list,
        help_text="Kinds of record to send (e.g. programmes.pairing); empty for all.",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        help_text="Only changes of this programme's records.",
    )
    network = models.ForeignKey(
        "programmes.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        help_text="Only changes of this network and of the programmes it runs or partners in.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Cleared after repeated failures; set it again to resume.",
    )
    failure_count = models.PositiveIntegerField(
        default=0,
        help_text="Failed attempts in a row (reset by a success).",
    )
    disabled_reason = models.TextField(blank=True)
    # The subscribing transaction's time, as PostgreSQL keeps it for history events (the
    # start of their transaction): the changes sent are those of events at or after it.
    starts_at = models.DateTimeField(db_default=TransactionStart(), editable=False)

    class Meta:
        ordering = ["owner", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="subscription_url_http",
                violation_error_message="The address must start with http:// or https://.",
            ),
        ]

    def __str__(self):
        return f"{self.url} ({self.owner})"

    def clean(self):
        from webhooks.addresses import UnsafeAddress, check_url
        from webhooks.services import kinds

        errors = {}
        try:
            check_url(self.url)
        except UnsafeAddress as error:
            errors["url"] = str(error)
        known = kinds()
        self.kinds = [kind.strip().lower() for kind in self.kinds or []]
        unknown = [kind for kind in self.kinds if kind not in known]
        if unknown:
            errors["kinds"] = f"Unknown kind “{unknown[0]}”: give some of {', '.join(known)}."
        if errors:
            raise ValidationError(errors)


class Delivery(models.Model):
    """One change sent (or to send) to one subscription: the delivery log.

    ``event_id`` (the history event's identifier) is the idempotency key: a change is
    delivered once to a subscription however often it is queued.
    """

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.CharField(max_length=100)
    event_at = models.DateTimeField()
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"],
                name="delivery_once_per_event",
            ),
        ]
        indexes = [models.Index(fields=["status", "created"])]

    def __str__(self):
        return f"{self.event_id} → {self.subscription_id} ({self.status})"
