"""Constraint helpers: a rule said once to the database and once in words to ``clean()``."""

import functools
import operator

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.dates import date_in_range


def exactly_one_of(*fields: str, name: str, message: str) -> models.CheckConstraint:
    """Return the database rule that exactly one of ``fields`` (foreign keys) is set."""
    one_set = (Q(**{f"{other}__isnull": other != chosen for other in fields}) for chosen in fields)
    return models.CheckConstraint(
        condition=functools.reduce(operator.or_, one_set),
        name=name,
        violation_error_message=message,
    )


def check_exactly_one(instance, *fields: str, message: str) -> None:
    """Raise ``message`` as a ValidationError on the first of ``fields`` unless exactly one
    of those foreign keys is set on ``instance``."""
    chosen = [name for name in fields if getattr(instance, f"{name}_id") is not None]
    if len(chosen) != 1:
        raise ValidationError({fields[0]: message})


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    """Return the database rule that ``end`` is empty or not before ``start``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def period_rules(prefix: str, start: str = "start_date", end: str = "end_date") -> list:
    """Return the database rules of a record's period: both dates within the range Python
    can hold, and the end not before the start (named ``<prefix>_end_after_start``)."""
    return [
        date_in_range(start, prefix),
        date_in_range(end, prefix),
        end_not_before_start(start, end, name=f"{prefix}_end_after_start"),
    ]


def check_dates(instance, start: str, end: str) -> None:
    """Raise a ValidationError on ``end`` when it lies before ``start``."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: "The end date cannot be before the start date."})
