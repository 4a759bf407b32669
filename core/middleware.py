"""Middleware of the project's own that is not about the API's answers (``core.api.middleware``).

- ``KeptPolicyCSPMiddleware``: django-csp's middleware, with the policy of a response that
  changes nothing of it (no nonce, no decorator) built once per process, not per response.
- ``CookielessReadMiddleware``: what the API read lane (``core.wsgi``) puts in place of the
  session, login and message middleware for a request that has no cookie.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

# Per-response changes django-csp reads from a response (its decorators set them).
RESPONSE_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_policies: dict = {}


def _forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()


setting_changed.connect(_forget_policies)


def kept_policy(report_only: bool) -> str:
    """Return the policy header of a response that changes nothing of it (built once)."""
    if report_only not in _policies:
        _policies[report_only] = build_policy(report_only=report_only)
    return _policies[report_only]


class KeptPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's ``CSPMiddleware``; a response with no nonce and no per-view policy gets
    the policy built once (building it deep-copies the settings' directives: a sixth of
    what a request that reads nothing costs). Every other response goes through django-csp
    unchanged."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, part, None) is not None for part in RESPONSE_PARTS
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # the debug pages' inline styles (as django-csp)
        for header, exempt, setting, report_only in (
            (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = kept_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class CookielessReadMiddleware:
    """For a read with no cookie: the reader is anonymous until the API's own authentication
    (a token) says otherwise. An answer that looked at that reader varies on ``Cookie``, as
    it does when the login middleware reads the (absent) session for it: a signed-in
    reader's answer would differ. One that a token answered does not, as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        looked = []

        def anonymous():
            looked.append(True)
            return AnonymousUser()

        request.user = SimpleLazyObject(anonymous)
        response = self.get_response(request)
        if looked:
            patch_vary_headers(response, ("Cookie",))
        return response
