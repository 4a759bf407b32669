"""Error answers that pages and the API share: 400 for input we refuse, 503 without a database.

Under ``/api/`` an error is the API's JSON (``{"detail": ..., "errors": ...}``), elsewhere a
page. Django calls ``server_error`` (``handler500`` in the root URLs) for any exception a
view or middleware did not handle: one that says the database cannot be reached
(PostgreSQL down, restarting, out of connections) is a 503 with ``Retry-After``, so
clients wait and retry instead of reporting a fault; the next request connects again.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

from core.api.middleware import is_api

# Seconds a client should wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 30
DATABASE_UNAVAILABLE = (
    "The registry's database cannot be reached just now: try again in "
    f"{RETRY_AFTER_SECONDS} seconds (the Retry-After header says the same)."
)
# Errors from the database connection itself (not from a statement it refused).
CONNECTION_ERRORS = (OperationalError, InterfaceError)

logger = logging.getLogger(__name__)


def bad_request(request, reason: str, errors: dict | None = None, status: int = 400):
    """Answer ``status`` (400) with ``reason``: the API's JSON error, or the 400 page."""
    if is_api(request):
        body = {"detail": reason}
        if errors:
            body["errors"] = errors
        return JsonResponse(body, status=status)
    return render(request, "400.html", {"reason": reason}, status=status)


TOO_MUCH_DATA = (
    "The form sent more than the registry accepts at once ({limit:,} bytes): send less, "
    "or upload the records as a file on the import page."
)
UNREADABLE = "The registry could not read this request: check the address or the form."


def bad_request_handler(request, exception):
    """``handler400``: a request Django refused as malformed, said in words."""
    if isinstance(exception, RequestDataTooBig):
        reason = TOO_MUCH_DATA.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return bad_request(request, reason, status=413)
    if isinstance(exception, TooManyFieldsSent):
        return bad_request(request, "The form sent too many fields: send fewer at once.")
    return bad_request(request, UNREADABLE)


def service_unavailable(request):
    """Answer 503 with Retry-After: JSON for the API, a page that needs no database else."""
    if is_api(request):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
    else:
        # Rendered without a request context: the user and the session live in the database.
        body = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """``handler500``: 503 when the database is unreachable, Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, CONNECTION_ERRORS):
        logger.warning("Database unavailable for %s: %s", request.path, error)
        return service_unavailable(request)
    return defaults.server_error(request)
