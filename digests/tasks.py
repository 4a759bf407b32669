"""The digest job: every quarter of an hour, send the digests that are due."""

from procrastinate.contrib.django import app


@app.periodic(cron="*/15 * * * *", periodic_id="digests.send")
@app.task(name="digests.send", queueing_lock="digests.send")
def send_digests(timestamp: int) -> None:
    """Send the digests due now (each once per period)."""
    from digests.services import send_due_digests

    send_due_digests()
