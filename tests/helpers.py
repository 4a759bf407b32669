"""Assertions shared by the model tests, and an API client with a user's token."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from knox.models import AuthToken
from rest_framework.test import APIClient


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


def token_client(user) -> APIClient:
    """Return an API client that sends a new token of ``user``."""
    _, key = AuthToken.objects.create(user=user, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
