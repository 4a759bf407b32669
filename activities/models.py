"""Dated activities through which pairings and programmes live."""

import datetime

import pghistory
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from activities.choices import STATUSES_BEFORE_THE_EVENT, ActivityKind, ActivityStatus
from activities.querysets import ActivityQuerySet, span
from cities.querysets import folded
from core.dates import (
    DatePrecision,
    date_in_range,
    format_period,
    period_end,
    period_start,
    validate_date_in_range,
)
from core.models import TimeStampedModel


@pghistory.track()
class Activity(TimeStampedModel):
    """Something cities do together on a date or over a period: an online consultation,
    a study visit, a training, a workshop, an MoU signing.

    Dates are stored as the first and last day of the period the source gives, with its
    precision: "March–April 2026" is 2026-03-01 to 2026-04-30 at month precision.
    """

    title = models.CharField(
        max_length=300,
    )
    kind = models.CharField(
        max_length=30,
        choices=ActivityKind.choices,
        default=ActivityKind.MEETING,
    )
    status = models.CharField(
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    start_date = models.DateField(
        validators=[validate_date_in_range],
    )
    end_date = models.DateField(
        blank=True,
        validators=[validate_date_in_range],
        help_text="Leave empty for an activity within one day, month or year.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    stream = models.ForeignKey(
        "programmes.ThematicStream",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    pairing = models.ForeignKey(
        "programmes.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    location_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
    )
    location = models.CharField(
        "venue or place",
        max_length=300,
        blank=True,
        help_text="Venue, or where it happens when it is not one city (e.g. online).",
    )
    cities = models.ManyToManyField(
        "cities.City",
        blank=True,
        related_name="activities",
        verbose_name="participating cities",
    )
    organisers = models.ManyToManyField(
        "programmes.Network",
        blank=True,
        related_name="organised_activities",
    )
    description = models.TextField(
        blank=True,
    )
    outcomes = models.TextField(
        blank=True,
    )
    cost_estimate = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_currency = models.CharField(
        max_length=3,
        blank=True,
        help_text="ISO 4217 code, e.g. EUR, THB, USD.",
    )
    is_published = models.BooleanField(
        default=True,
    )
    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="activities",
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="activity",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "end_date", "title", "id"]
        verbose_name_plural = "activities"
        indexes = [
            # The list order (Meta.ordering) in full, so that a page of a month's activities
            # stops after its rows even when thousands share their dates ("2026"); with
            # is_published included, counting what readers may see reads no table row.
            models.Index(
                fields=["start_date", "end_date", "title", "id"],
                include=["is_published"],
                name="activity_date_order_idx",
            ),
            models.Index(fields=["programme", "start_date"], name="activity_programme_idx"),
            # The longest activity's span, which bounds a period's query from below
            # (ActivityQuerySet.overlapping: a month, the calendar, upcoming activities).
            models.Index(span(), name="activity_span_idx"),
            # Free-text search (ActivityQuerySet.search) on the folded text.
            GinIndex(OpClass(folded("title"), name="gin_trgm_ops"), name="activity_title_trgm_idx"),
            GinIndex(
                OpClass(folded("description"), name="gin_trgm_ops"),
                name="activity_description_trgm_idx",
            ),
            GinIndex(
                OpClass(folded("location"), name="gin_trgm_ops"), name="activity_location_trgm_idx"
            ),
        ]
        constraints = [
            date_in_range("start_date", "activity"),
            date_in_range("end_date", "activity"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="activity_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__gte=0),
                name="activity_cost_not_negative",
                violation_error_message="A cost estimate cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_currency__regex=r"^[A-Z]{3}$"),
                name="activity_cost_has_currency",
                violation_error_message="Give the currency of the cost estimate "
                "(a three-letter code such as EUR).",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.period_display})"

    def get_absolute_url(self):
        return reverse("activities:activity_detail", kwargs={"pk": self.pk})

    @property
    def period_display(self) -> str:
        return format_period(self.start_date, self.end_date, self.date_precision)

    @property
    def needs_update(self) -> bool:
        """Return True if its dates have passed while it is still planned or confirmed.

        ``activities.querysets.needs_update_q`` in Python, for a record already read
        (tests hold the two to the same answers).
        """
        return (
            self.status in STATUSES_BEFORE_THE_EVENT
            and self.end_date is not None
            and self.end_date < timezone.localdate()
        )

    def clean(self):
        errors = {}
        if isinstance(self.start_date, datetime.date):
            # A month- or year-precise activity covers its whole months or years.
            self.start_date = period_start(self.start_date, self.date_precision)
            end = self.end_date or self.start_date
            self.end_date = period_end(end, self.date_precision)
            if self.end_date < self.start_date:
                errors["end_date"] = "The end date cannot be before the start date."
        if self.cost_estimate is not None and not self.cost_currency:
            errors["cost_currency"] = (
                "Give the currency of the cost estimate (a three-letter code such as EUR)."
            )
        if self.cost_currency:
            import pycountry

            self.cost_currency = self.cost_currency.upper()
            if pycountry.currencies.get(alpha_3=self.cost_currency) is None:
                errors["cost_currency"] = (
                    f"“{self.cost_currency}” is not an ISO 4217 currency code (e.g. EUR, THB)."
                )
        if self.stream_id and self.programme_id and self.stream.programme_id != self.programme_id:
            errors["stream"] = "Choose a stream of the activity's own programme."
        if self.pairing_id and self.programme_id and self.pairing.programme_id != self.programme_id:
            errors["pairing"] = "Choose a pairing of the activity's own programme."
        if errors:
            raise ValidationError(errors)


# Who takes part in or organises an activity is history too.
pghistory.track(model_name="ActivityCitiesEvent")(Activity.cities.through)
pghistory.track(model_name="ActivityOrganisersEvent")(Activity.organisers.through)
pghistory.track(model_name="ActivityThemesEvent")(Activity.themes.through)
