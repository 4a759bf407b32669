"""Rules several models of the app share: dates in order, one member of two kinds."""

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


def exactly_one_of(first: str, second: str, name: str, message: str) -> models.CheckConstraint:
    """Return the database rule that exactly one of two foreign keys is set."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
        violation_error_message=message,
    )


def check_dates(instance, start: str, end: str) -> None:
    """Raise a ValidationError on ``end`` when it lies before ``start``."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: "The end date cannot be before the start date."})


def check_one_member(instance, city_field: str, network_field: str) -> None:
    """Raise a ValidationError unless exactly one of a city and a network is given."""
    has_city = getattr(instance, f"{city_field}_id") is not None
    has_network = getattr(instance, f"{network_field}_id") is not None
    if has_city == has_network:
        raise ValidationError(
            {city_field: "Choose either a city or an organisation, not both and not neither."}
        )
