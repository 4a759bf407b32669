"""The controlled vocabulary of themes (urban challenges) and the 17 SDGs they serve."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class SustainableDevelopmentGoal(models.Model):
    """One of the United Nations' 17 Sustainable Development Goals (2015)."""

    number = models.PositiveSmallIntegerField(
        unique=True,
    )
    name = models.CharField(
        max_length=100,
    )

    class Meta:
        ordering = ["number"]
        verbose_name = "SDG"
        verbose_name_plural = "SDGs"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1) & models.Q(number__lte=17),
                name="sdg_number_1_to_17",
                violation_error_message="An SDG's number is between 1 and 17.",
            ),
        ]

    def __str__(self):
        return f"SDG {self.number}: {self.name}"


@pghistory.track()
class Theme(models.Model):
    """An urban challenge cities cooperate on ("nature-based solutions", "urban mobility"),
    kept as data an admin extends; a narrower theme names its broader one (``parent``)."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
    )
    name = models.CharField(
        max_length=150,
        unique=True,
    )
    description = models.TextField(
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The broader theme this one belongs to, if any.",
    )
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        blank=True,
        related_name="themes",
        verbose_name="SDGs",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="theme_not_own_parent",
                violation_error_message="A theme cannot be its own broader theme.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:theme_detail", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": "Choose a theme that is not this one or below it."}
                )
            ancestor = ancestor.parent
