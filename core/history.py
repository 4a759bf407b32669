"""Change history, the write side: which channel a change came through, for django-pghistory.

The triggers record every change whatever its origin; this module attaches the context
(user, URL, channel) that says who made it and how: the web pages, the API, Django admin,
or a management command (imports, seed loading). Every layer that writes uses it; reading
the history back is ``history.reading``'s.
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


def event_models_of(model) -> list:
    """Return the event models of a tracked model (one per tracker; usually one)."""
    return list(dict.fromkeys(getattr(model, "pgh_event_models", {}).values()))


def own_events(record):
    """Return the events of ``record`` itself (not of its parts), newest first."""
    from pghistory.models import Events

    return (
        Events.objects.across(*event_models_of(type(record)._meta.concrete_model))
        .references(record)
        .filter(pgh_obj_model=record._meta.label)
        .order_by("-pgh_created_at", "-pgh_id")
    )
