"""Change history glue: which channel a change came through, for django-pghistory.

The triggers record every change whatever its origin; this module attaches the context
(user, URL, channel) that says who made it and how: the web pages, the API, Django admin,
or a management command (imports, seed loading).
"""

import pghistory
from pghistory.middleware import HistoryMiddleware as BaseHistoryMiddleware

CHANNEL_WEB = "web"
CHANNEL_API = "api"
CHANNEL_ADMIN = "admin"
CHANNEL_COMMAND = "command"


def channel_for_path(path: str) -> str:
    """Return the channel a request path belongs to."""
    if path.startswith("/api/"):
        return CHANNEL_API
    if path.startswith("/admin/"):
        return CHANNEL_ADMIN
    return CHANNEL_WEB


class HistoryMiddleware(BaseHistoryMiddleware):
    """pghistory's middleware (user, url; DRF users too) plus the channel."""

    def get_context(self, request):
        return {**super().get_context(request), "channel": channel_for_path(request.path)}


def command_context(command: str, **extra):
    """Return a history context for a management command (``with command_context(...)``)."""
    return pghistory.context(channel=CHANNEL_COMMAND, command=command, **extra)
