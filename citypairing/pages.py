"""Site-wide pages that belong to no record: the favicon's fixed address and 403 pages.

Django's own handlers render ``templates/403.html``, ``404.html`` and ``500.html``; a
refused edit renders the same 403 page with the reason and the way back
(``core.views.records.permission_denied``), a refused form (CSRF) ``403_csrf.html``
(``csrf_failure``).
"""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

FAVICON_CACHE_SECONDS = 24 * 60 * 60


def favicon(request):
    """Send a browser asking for /favicon.ico to the icon staticfiles serves."""
    # Not permanent: the file's name carries its hash in production and changes with it.
    response = HttpResponseRedirect(static("img/favicon.ico"))
    patch_cache_control(response, public=True, max_age=FAVICON_CACHE_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """Render the 403 page of a form the registry could not trust: why, and what to do."""
    return TemplateResponse(request, "403_csrf.html", {"form_url": request.path}, status=403)
