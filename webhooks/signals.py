"""Queue a webhook dispatch when a change to a tracked record commits (never before: a
rolled-back change queues nothing)."""

import contextlib
import logging

from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.history import event_models_of

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}
logger = logging.getLogger(__name__)


def enqueue_dispatch() -> None:
    """Queue one dispatch job (a second one waiting already covers this change).

    The change has committed: a failure here (the database gone) must not turn its answer
    into an error; it is logged, and the periodic dispatch sends the change a minute later.
    """
    from procrastinate.exceptions import AlreadyEnqueued, ConnectorException

    from webhooks.models import Subscription
    from webhooks.tasks import dispatch

    try:
        if not Subscription.objects.filter(is_active=True).exists():
            return
        with contextlib.suppress(AlreadyEnqueued):
            dispatch.defer()
    except (DatabaseError, ConnectorException):
        logger.warning("Could not queue the webhook dispatch; the periodic one will.")


def schedule_dispatch() -> None:
    """Queue a dispatch once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is enqueue_dispatch for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(enqueue_dispatch)


def on_change(sender, **kwargs) -> None:
    if not event_models_of(sender):
        return
    if "action" in kwargs and kwargs["action"] not in M2M_CHANGES:
        return
    schedule_dispatch()


def connect() -> None:
    post_save.connect(on_change, dispatch_uid="webhooks.post_save")
    post_delete.connect(on_change, dispatch_uid="webhooks.post_delete")
    m2m_changed.connect(on_change, dispatch_uid="webhooks.m2m_changed")
