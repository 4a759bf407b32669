"""Webhook jobs for the worker (procrastinate): dispatch changes, deliver one change."""

from procrastinate.contrib.django import app

DISPATCH_LOCK = "webhooks.dispatch"


@app.task(name="webhooks.dispatch", queueing_lock=DISPATCH_LOCK)
def dispatch() -> None:
    """Create and queue the deliveries owed for the changes committed since the last one."""
    from webhooks.services import dispatch_events

    dispatch_events()


@app.periodic(cron="* * * * *", periodic_id="webhooks.dispatch")
@app.task(name="webhooks.dispatch_periodically", queueing_lock="webhooks.dispatch_periodically")
def dispatch_periodically(timestamp: int) -> None:
    """Catch the changes that sent no signal (bulk updates, raw SQL), once a minute."""
    from webhooks.services import dispatch_events

    dispatch_events()


@app.task(name="webhooks.deliver")
def deliver(delivery_id: int) -> None:
    """Send one delivery (and queue its retry if it fails)."""
    from webhooks.services import deliver as deliver_one

    deliver_one(delivery_id)
