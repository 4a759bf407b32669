"""Pairings of cities, their participants and status changes."""

import pghistory
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cities.querysets import folded
from core.constraints import check_dates, period_rules
from core.dates import (
    DatePrecision,
    date_in_range,
    format_date,
    format_period,
    validate_date_in_range,
)
from core.models import TimeStampedModel
from programmes.choices import (
    PairingKind,
    PairingStatus,
    ParticipantRole,
)
from programmes.models.programmes import Programme, ThematicStream
from programmes.querysets import PairingPartQuerySet, PairingQuerySet


@pghistory.track()
class Pairing(TimeStampedModel):
    """A cooperation link between two or more cities inside a programme.

    Each city takes part with a role (pilot city, partner, potential partner, mentor...).
    The same set of cities is paired at most once per programme and stream: a database
    constraint trigger (``pairing_unique_city_set``) enforces it at commit.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    stream = models.ForeignKey(
        ThematicStream,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
    )
    title = models.CharField(
        max_length=300,
    )
    kind = models.CharField(
        max_length=30,
        choices=PairingKind.choices,
        default=PairingKind.PROGRAMME_PAIRING,
    )
    status = models.CharField(
        max_length=20,
        choices=PairingStatus.choices,
        default=PairingStatus.PROPOSED,
    )
    cities = models.ManyToManyField(
        "cities.City",
        through="PairingParticipant",
        related_name="pairings",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    description = models.TextField(
        blank=True,
    )
    is_published = models.BooleanField(
        default=True,
    )
    is_verified = models.BooleanField(
        default=True,
        help_text="Unticked for pairings taken from external data nobody has checked yet.",
    )
    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="pairings",
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="pairing",
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "stream", "title", "id"]
        indexes = [
            # Each list filter, then the programme: the first page walks the programmes in
            # name order (programme_name_idx) and reads only their matching pairings.
            models.Index(fields=["status", "programme"], name="pairing_status_idx"),
            models.Index(fields=["kind", "programme"], name="pairing_kind_idx"),
            models.Index(fields=["is_verified", "programme"], name="pairing_verified_idx"),
            GinIndex(OpClass(folded("title"), name="gin_trgm_ops"), name="pairing_title_trgm_idx"),
        ]
        constraints = [
            *period_rules("pairing"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:pairing_detail", kwargs={"pk": self.pk})

    @property
    def period_display(self) -> str:
        return format_period(self.start_date, self.end_date, self.date_precision)

    def clean(self):
        check_dates(self, "start_date", "end_date")
        if self.stream_id and self.programme_id and self.stream.programme_id != self.programme_id:
            raise ValidationError({"stream": "Choose a stream of the pairing's own programme."})


@pghistory.track()
class PairingParticipant(models.Model):
    """A city's part in a pairing, with its role."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="participants",
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="pairing_participations",
    )
    role = models.CharField(
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTNER,
    )
    note = models.CharField(
        max_length=300,
        blank=True,
    )

    objects = PairingPartQuerySet.as_manager()

    class Meta:
        ordering = ["pairing", "role", "city__name"]
        indexes = [
            # The pairings of a city or of a country's cities, read from the index alone.
            models.Index(fields=["city", "pairing"], name="participant_city_pairing_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "city"],
                name="participant_unique_city",
                violation_error_message="This city already takes part in the pairing: "
                "a city cannot be paired with itself.",
            ),
        ]

    def __str__(self):
        return f"{self.city} ({self.get_role_display()})"


@pghistory.track()
class PairingStatusChange(models.Model):
    """A step in a pairing's life: proposed, agreed (LoI/MoU), active, completed..."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(
        max_length=20,
        choices=PairingStatus.choices,
    )
    changed_on = models.DateField(
        validators=[validate_date_in_range],
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    note = models.CharField(
        max_length=300,
        blank=True,
    )

    objects = PairingPartQuerySet.as_manager()

    class Meta:
        ordering = ["pairing", "changed_on", "id"]
        constraints = [
            date_in_range("changed_on", "pairingstatuschange"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} on {self.changed_display}"

    @property
    def changed_display(self) -> str:
        return format_date(self.changed_on, self.date_precision)

    def clean(self):
        """Refuse a date in the future or out of step with the pairing's other changes.

        The database says the same (trigger ``pairing_status_history``, migration 0009):
        changes move forward in time in the order they were recorded, and the pairing's
        status is its latest change's.
        """
        super().clean()
        if self.changed_on is None or self.pairing_id is None:
            return
        today = timezone.localdate()
        if self.changed_on > today:
            raise ValidationError(
                {
                    "changed_on": f"A status change cannot be dated in the future (today is "
                    f"{format_date(today, DatePrecision.DAY)}): give the date it happened."
                }
            )
        others = PairingStatusChange.objects.filter(pairing_id=self.pairing_id)
        if self.pk is not None:
            later = others.filter(pk__gt=self.pk).order_by("pk").first()
            if later is not None and later.changed_on < self.changed_on:
                raise ValidationError(
                    {
                        "changed_on": f"Status changes move forward in time: this one "
                        f"cannot be dated after the next one ({later})."
                    }
                )
            others = others.filter(pk__lt=self.pk)
        earlier = others.order_by("-pk").first()
        if earlier is not None and earlier.changed_on > self.changed_on:
            raise ValidationError(
                {
                    "changed_on": f"Status changes move forward in time: this one cannot be "
                    f"dated before the previous one ({earlier}). Give a date on or after "
                    f"{format_date(earlier.changed_on, DatePrecision.DAY)}."
                }
            )


# Which themes a record carries is history too.
pghistory.track(model_name="PairingThemesEvent")(Pairing.themes.through)
