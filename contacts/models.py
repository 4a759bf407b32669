"""People who work on city cooperation, and the roles they hold: personal data.

Never public (see ``contacts.querysets``); erased on request (``contacts.services``).
"""

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from contacts.choices import ROLE_TARGETS, ContactRoleKind
from contacts.querysets import ContactRoleQuerySet, PersonQuerySet
from core.constraints import check_dates, exactly_one_of, period_rules
from core.dates import validate_date_in_range
from core.models import TimeStampedModel

# The fields of a person that identify them: blanked in their history when they are erased.
PERSONAL_FIELDS = ("name", "title", "email", "phone", "languages")


@pghistory.track()
class Person(TimeStampedModel):
    """A person who works for a city government or a network, e.g. the focal point for
    the waste stream in Hat Yai's municipality."""

    name = models.CharField(
        max_length=200,
    )
    title = models.CharField(
        "job title",
        max_length=200,
        blank=True,
    )
    organisation_city = models.ForeignKey(
        "cities.City",
        verbose_name="city government",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_contacts",
        help_text="The city whose government they work for (or a network, not both).",
    )
    organisation_network = models.ForeignKey(
        "programmes.Network",
        verbose_name="network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_contacts",
        help_text="The network or organisation they work for (or a city, not both).",
    )
    email = models.EmailField(
        "e-mail",
        max_length=254,
        blank=True,
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
    )
    languages = models.CharField(
        max_length=200,
        blank=True,
        help_text="The languages they work in, e.g. Thai, English.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=r"\S"),
                name="person_name_not_blank",
                violation_error_message="Give the person's name.",
            ),
            models.CheckConstraint(
                condition=Q(organisation_city__isnull=True) | Q(organisation_network__isnull=True),
                name="person_one_organisation",
                violation_error_message="Choose a city government or a network, not both.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:person_detail", kwargs={"pk": self.pk})

    @property
    def organisation(self):
        return self.organisation_city or self.organisation_network

    def clean(self):
        if self.organisation_city_id and self.organisation_network_id:
            raise ValidationError(
                {"organisation_network": "Choose a city government or a network, not both."}
            )


def exactly_one_target() -> models.CheckConstraint:
    """Return the database rule that a role is for exactly one record."""
    return exactly_one_of(
        *ROLE_TARGETS,
        name="contactrole_exactly_one_record",
        message=(
            "Choose the one record the role is for: a city, a network, a programme, a "
            "stream or a pairing."
        ),
    )


@pghistory.track()
class ContactRole(TimeStampedModel):
    """A person's role for one record: the focal point of a city, a network's secretariat,
    the technical lead of a pairing, with the dates they hold it.

    One foreign key per kind of record, with a check that exactly one is set, rather than
    a generic relation: the database keeps each link valid and deletes the role with its
    record, and visibility joins each kind (a role of an unpublished pairing stays hidden).
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(
        max_length=20,
        choices=ContactRoleKind.choices,
        default=ContactRoleKind.FOCAL_POINT,
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
    )
    network = models.ForeignKey(
        "programmes.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
    )
    stream = models.ForeignKey(
        "programmes.ThematicStream",
        verbose_name="thematic stream",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
    )
    pairing = models.ForeignKey(
        "programmes.Pairing",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
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

    objects = ContactRoleQuerySet.as_manager()

    class Meta:
        ordering = ["person", "role", "id"]
        verbose_name = "contact role"
        constraints = [
            exactly_one_target(),
            *period_rules("contactrole"),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()}, {self.record}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    @property
    def record(self):
        """Return the record the role is for."""
        return next(
            (getattr(self, name) for name in ROLE_TARGETS if getattr(self, f"{name}_id")), None
        )

    def clean(self):
        check_dates(self, "start_date", "end_date")
        chosen = [name for name in ROLE_TARGETS if getattr(self, f"{name}_id") is not None]
        if len(chosen) != 1:
            raise ValidationError(
                {
                    (chosen[1] if chosen else "city"): "Choose the one record the role is for: "
                    "a city, a network, a programme, a stream or a pairing."
                }
            )
