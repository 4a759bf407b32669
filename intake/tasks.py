"""Intake's background job (procrastinate): read a source for proposals."""

from procrastinate.contrib.django import app


@app.task(name="intake.propose")
def propose_source(source_id: int) -> None:
    """Propose records from the source ``source_id`` (its run records the outcome)."""
    from intake.services import intake_run

    intake_run(source_id)
