"""A local HTTP receiver, a partner's subscription to it, and the queued jobs run in-process."""

import http.server
import json
import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from procrastinate.contrib.django import app

from tests.trust.conftest import (  # noqa: F401 (fixtures)
    admin_api,
    anonymous_api,
    officer_api,
    partner_api,
    world,
)
from webhooks.models import Subscription


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers ``statuses``."""

    def __init__(self):
        self.received = []
        self.statuses = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    SimpleNamespace(path=self.path, headers=dict(self.headers), body=body)
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self) -> list[dict]:
        return [json.loads(request.body) for request in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscription(world, receiver):  # noqa: F811 (the fixture imported above)
    subscription = Subscription.objects.create(
        owner=world.partner, url=receiver.url, secret="a-secret-of-the-partner"
    )
    # Jobs the world's set-up queued before the subscription (and earlier tests': the job
    # tables are procrastinate's, not flushed between tests).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
    return subscription


def queued_jobs(task_name: str | None = None) -> list[dict]:
    """Return the jobs waiting in procrastinate's table, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, args, scheduled_at FROM procrastinate_jobs "
            "WHERE status = 'todo' ORDER BY id"
        )
        jobs = [
            {
                "id": row[0],
                "task_name": row[1],
                "args": json.loads(row[2]) if isinstance(row[2], str) else row[2],
                "scheduled_at": row[3],
            }
            for row in cursor.fetchall()
        ]
    return [job for job in jobs if task_name in (None, job["task_name"])]


def run_queued_jobs(limit: int | None = None) -> int:
    """Run the waiting jobs (due or not) as the worker would, in this process: ``limit``
    of them, or until none is left; return how many ran."""
    ran = 0
    while limit is None or ran < limit:
        jobs = queued_jobs()
        if not jobs:
            return ran
        assert ran < 100, "the jobs keep queueing more jobs"
        job = jobs[0]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [job["id"]]
            )
        app.tasks[job["task_name"]](**job["args"])
        ran += 1
    return ran
