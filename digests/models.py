"""An officer's digest preferences, and what their last digest said."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from digests.choices import DigestFrequency

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(value: str) -> None:
    if value not in TIME_ZONES:
        raise ValidationError(
            f"“{value}” is no time zone: choose one such as Asia/Bangkok or Europe/Brussels."
        )


class DigestPreference(models.Model):
    """How often an officer gets the digest e-mail, in which time zone; and the last one
    sent (its period, so each is sent once, and its items, to tell what changed since)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The digest comes at 08:00 in this time zone; its dates are this zone's.",
    )
    frequency = models.CharField(
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    last_period = models.CharField(
        max_length=20,
        blank=True,
        help_text="The period (2026-W49, 2026-12-01) of the last digest sent.",
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["user"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=DigestFrequency.values),
                name="digestpreference_frequency_known",
                violation_error_message="Choose weekly, daily or off.",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}, {self.time_zone}"
