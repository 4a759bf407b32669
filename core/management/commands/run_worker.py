"""Run the background-job worker (procrastinate) and start it again when it stops on a
database error, until SIGINT or SIGTERM.

procrastinate's own ``manage.py procrastinate worker`` exits when the database goes away
(a restart, a fail-over): it leaves restarting to a supervisor. This command is that
supervisor, so `make run` and a plain systemd unit keep delivering across a database
restart; jobs queued before it wait in their table and run once the worker is back.
"""

import asyncio
import contextlib
import logging
import signal
import time

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

logger = logging.getLogger("core.worker")

FIRST_DELAY = 1.0
LONGEST_DELAY = 30.0
# A run that lasted this long was healthy: the next failure waits FIRST_DELAY again.
HEALTHY_RUN = 60.0


class Command(BaseCommand):
    help = (
        "Run the background-job worker; start it again after a database error "
        "(waiting 1 s, then twice as long each time, up to 30 s)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--polling-interval",
            type=float,
            default=5.0,
            help="Seconds between looks at the job table when no notification came (5).",
        )
        parser.add_argument(
            "--one-shot",
            action="store_true",
            help="Run the jobs that are due, then exit.",
        )

    def handle(self, *args, polling_interval, one_shot, **options):
        worker_connector = app.connector.get_worker_connector()
        with app.replace_connector(worker_connector) as worker_app:
            asyncio.run(self.supervise(worker_app, polling_interval, one_shot))

    async def supervise(self, worker_app, polling_interval: float, one_shot: bool) -> None:
        """Run the worker again after each failure, until a stop signal."""
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        current: list[asyncio.Task] = []

        def stop() -> None:
            stopping.set()
            for task in current:
                task.cancel()

        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop)
        delay = FIRST_DELAY
        while not stopping.is_set():
            started = time.monotonic()
            task = asyncio.create_task(
                self.run_once(worker_app, polling_interval, wait=not one_shot)
            )
            current[:] = [task]
            try:
                await task
                if one_shot:
                    return
            except asyncio.CancelledError:
                return
            except Exception as error:  # noqa: BLE001 - any failure: wait, then start again
                logger.warning("The job worker stopped: %s", error)
            if time.monotonic() - started > HEALTHY_RUN:
                delay = FIRST_DELAY
            self.stderr.write(f"The job worker stopped; starting it again in {delay:g} s.")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=delay)
            delay = min(delay * 2, LONGEST_DELAY)

    @staticmethod
    async def run_once(worker_app, polling_interval: float, wait: bool) -> None:
        """Open the connection pool and run one worker until it stops."""
        async with worker_app.open_async():
            await worker_app.run_worker_async(
                fetch_job_polling_interval=polling_interval,
                wait=wait,
                install_signal_handlers=False,
            )
