"""What every answer under ``/api/`` shares, whatever view (or no view) made it.

- ``JsonErrorsMiddleware``: an error is the API's JSON (``{"detail": ...}``) even when no
  API view made it: an unknown address (Django's 404, or its debug page), a method the
  address does not take, a refusal by a middleware.
- ``ConditionalGetMiddleware``: a GET whose ``If-None-Match`` names the answer's ETag is a
  304 without a body. A record's ETag is its version (the same one ``If-Match`` takes);
  a list, an export or the schema gets the digest of its content as its ETag.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.middleware import http
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
DETAILS = {
    HTTPStatus.BAD_REQUEST: "The request was refused as malformed: check the address, its "
    "headers and its body.",
    HTTPStatus.FORBIDDEN: "You may not do this: ask the registry's administrators if you need to.",
    HTTPStatus.NOT_FOUND: "Nothing at this address: check the path and its trailing slash; "
    "the API's resources are listed at /api/v1/.",
    HTTPStatus.METHOD_NOT_ALLOWED: "This address does not take {method}: the Allow header "
    "lists what it takes.",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "The request is too large: send less at once.",
    HTTPStatus.INTERNAL_SERVER_ERROR: "The registry failed to answer this request; the "
    "error is logged. Try again later.",
}
# Headers of the original error that still hold for its JSON form.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Cache-Control")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_json(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type == "application/json" or content_type.endswith("+json")


def error_detail(request, status: int) -> str:
    """Return the sentence for an error the API's views did not word themselves."""
    if status in DETAILS:
        return DETAILS[status].format(method=request.method)
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request failed."


class JsonErrorsMiddleware:
    """Answer every error under ``/api/`` as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request) or is_json(response):
            return response
        answer = JsonResponse(
            {"detail": error_detail(request, response.status_code)},
            status=response.status_code,
        )
        for header in KEPT_HEADERS:
            if response.has_header(header):
                answer[header] = response[header]
        return answer


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's conditional GET (ETag, If-None-Match → 304), for the API's addresses."""

    def process_response(self, request, response):
        if not is_api(request):
            return response
        # A token sees unpublished records its programme's officers may read: the same
        # address answers differently per token, so caches must key on it.
        patch_vary_headers(response, ["Authorization"])
        return super().process_response(request, response)
