"""Rules several models share: an end date not before the start date."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    """Return the database rule that ``end`` is empty or not before ``start``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def check_dates(instance, start: str, end: str) -> None:
    """Raise a ValidationError on ``end`` when it lies before ``start``."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: "The end date cannot be before the start date."})
