"""An officer's calendar subscription: a secret address for their programmes' activities."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel


def new_token() -> str:
    """Return a fresh secret for a calendar address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class CalendarSubscription(TimeStampedModel):
    """The secret address of one user's calendar feed; regenerating it voids the old one.

    Not tracked in history: the token is a credential, and history is read by others.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_subscription",
    )
    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_token,
    )

    class Meta:
        ordering = ["user"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(token__regex=r"^[A-Za-z0-9_-]{32,64}$"),
                name="calendarsubscription_token_shape",
                violation_error_message="A calendar token is 32 to 64 URL-safe characters.",
            ),
        ]

    def __str__(self):
        return f"Calendar of {self.user}"

    def get_absolute_url(self):
        return reverse("followup:calendar_feed", kwargs={"token": self.token})
