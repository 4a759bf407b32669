"""Constraint helpers: a rule said once to the database and once in words to ``clean()``."""

import functools
import operator

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


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
