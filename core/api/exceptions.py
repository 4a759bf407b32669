"""One JSON shape for every error the API returns.

``{"detail": "<sentence>", "errors": {"<field>": ["<message>", ...]}}``; ``errors`` is
present only for invalid input (400). Database errors that slip past validation (a
constraint, a value PostgreSQL refuses) become a 400 too, never a 500.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.api.parsers import RequestTooLarge

INVALID_INPUT = "The request has invalid input: see `errors` for a message per field."


def django_errors_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    """Turn a model's ValidationError into DRF's, keeping its messages on their fields."""
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return exceptions.ValidationError(detail)


def _as_field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {"non_field_errors": [detail]}


def exception_handler(exc, context):
    """Render ``exc`` as the API's JSON error, or return None to let Django handle it."""
    if isinstance(exc, DjangoValidationError):
        exc = django_errors_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or "The request was refused as malformed.")
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {"non_field_errors": ["This conflicts with another record: check unique values."]}
        )
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError(
            {"non_field_errors": ["A value is out of range or has characters we cannot store."]}
        )
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        data = {"detail": INVALID_INPUT, "errors": _as_field_errors(exc.detail)}
    else:
        data = {"detail": exc.detail}
    set_rollback()
    return Response(data, status=exc.status_code or status.HTTP_400_BAD_REQUEST, headers=headers)
