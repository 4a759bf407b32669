"""The WSGI application: every request through the whole middleware stack, but for cookieless
reads of the API, which take a shorter one.

A read of the API with no cookie (an anonymous reader, or a partner's token) has no session
to load, no CSRF token to check or set, no messages to show, no htmx target and no history
context to record (reads write nothing); static files are never under ``/api/``. Its
middleware is ``settings.API_READ_MIDDLEWARE``: security headers, CORS, the API's JSON
errors and conditional GET, the refusal of input PostgreSQL cannot store, and
``core.middleware.CookielessReadMiddleware`` (an anonymous reader until a token says
otherwise; the answer still varies on ``Cookie``). Every request with a cookie, every write,
every page goes through ``settings.MIDDLEWARE`` as before. What a request costs before its
view runs is most of a small answer's cost (``docs/benchmarks.md``).
"""

import contextlib
import gc

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIX = "/api/"
READS = ("GET", "HEAD")


def is_cookieless_api_read(environ) -> bool:
    """Return whether a WSGI request is a read of the API that carries no cookie."""
    return (
        environ.get("REQUEST_METHOD") in READS
        and environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and not environ.get("HTTP_COOKIE")
    )


@contextlib.contextmanager
def api_read_middleware():
    """Make ``settings.MIDDLEWARE`` the API read list meanwhile: Django's handlers build
    their chain from it (``load_middleware``, once, at start-up)."""
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = settings.API_READ_MIDDLEWARE
    try:
        yield
    finally:
        settings.MIDDLEWARE = full


class APIReadHandler(WSGIHandler):
    """Django's WSGI handler over ``settings.API_READ_MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        with api_read_middleware():
            super().load_middleware(is_async)


class RegistryWSGIHandler(WSGIHandler):
    """Django's WSGI handler, which hands cookieless API reads to an ``APIReadHandler``."""

    def __init__(self):
        super().__init__()
        self.api_reads = APIReadHandler()

    def __call__(self, environ, start_response):
        if is_cookieless_api_read(environ):
            return self.api_reads(environ, start_response)
        return super().__call__(environ, start_response)


def freeze_start_up_heap() -> None:
    """Leave what start-up made (modules, models, URL patterns, settings: most of a
    worker's objects) out of the garbage collector's full collections (``gc.freeze``).

    A full collection walks every object the collector tracks; with the start-up heap in
    it, one took 125–150 ms in the middle of a request (a map's answer, which makes many
    objects, set one off every few requests). Frozen, those objects are never walked; they
    live as long as the worker anyway. What start-up left as garbage is collected first.
    """
    gc.collect()
    gc.freeze()


def get_wsgi_application() -> RegistryWSGIHandler:
    """Set Django up and return the registry's WSGI application (as Django's own does),
    its start-up heap frozen (``freeze_start_up_heap``)."""
    django.setup(set_prefix=False)
    application = RegistryWSGIHandler()
    freeze_start_up_heap()
    return application
