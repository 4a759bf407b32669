"""Partner requests: a city seeking partners on a theme, posted on the board."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

from core.dates import date_in_range, validate_date_in_range
from core.models import TimeStampedModel
from partners.choices import PartnerKind, PartnerRequestStatus
from partners.querysets import PartnerRequestQuerySet


# The tables keep the names they had in programmes, where the model was first.
@pghistory.track(meta={"db_table": "programmes_partnerrequestevent"})
class PartnerRequest(TimeStampedModel):
    """A city seeking partners on a theme: a post on the "seeking partners" board.

    Officers post what a city needs; the registry suggests matching cities; the request
    turns into a proposed pairing in one step.
    """

    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="partner_requests",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
    )
    stream = models.ForeignKey(
        "programmes.ThematicStream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
    )
    theme = models.CharField(
        max_length=300,
        help_text="What the city needs, in words: e.g. sponge city flood retention.",
    )
    preferred_countries = CountryField(
        multiple=True,
        blank=True,
    )
    partner_kind = models.CharField(
        "kind of partner",
        max_length=20,
        choices=PartnerKind.choices,
        default=PartnerKind.ANY,
    )
    deadline = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    description = models.TextField(
        blank=True,
    )
    status = models.CharField(
        max_length=20,
        choices=PartnerRequestStatus.choices,
        default=PartnerRequestStatus.OPEN,
    )
    pairing = models.OneToOneField(
        "programmes.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_request",
        help_text="The pairing this request became.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
    )

    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="partner_requests",
    )
    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        db_table = "programmes_partnerrequest"
        ordering = ["status", "deadline", "-created"]
        constraints = [
            date_in_range("deadline", "partnerrequest"),
            models.CheckConstraint(
                condition=Q(theme__regex=r"\S"),
                name="partnerrequest_theme_not_blank",
                violation_error_message="Say what the city is looking for.",
            ),
            models.CheckConstraint(
                condition=~Q(status=PartnerRequestStatus.PAIRED) | Q(pairing__isnull=False),
                name="partnerrequest_paired_has_pairing",
                violation_error_message="A request marked as paired must name its pairing.",
            ),
        ]

    def __str__(self):
        return f"{self.city.name} seeks partners: {self.theme}"

    def get_absolute_url(self):
        return reverse("partners:partner_request_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.stream_id and self.programme_id and self.stream.programme_id != self.programme_id:
            raise ValidationError({"stream": "Choose a stream of the request's own programme."})


# Which themes a record carries is history too.
pghistory.track(model_name="PartnerRequestThemesEvent")(PartnerRequest.themes.through)
