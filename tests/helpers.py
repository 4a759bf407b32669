"""Assertions shared by the model tests."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def rejected_by_database(constraint: str):
    """Expect the block to hit the named database constraint (and roll it back)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert constraint in str(caught.value)


def assert_invalid(instance, field: str, message: str) -> None:
    """Assert ``full_clean()`` rejects ``instance`` with ``message`` on ``field``."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    errors = caught.value.message_dict
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]
