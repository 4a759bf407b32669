"""gunicorn's settings for ``make run`` (``gunicorn -c citypairing/gunicorn_conf.py``).

Sync workers, as many as the cores can keep busy while others wait on PostgreSQL:
2 × cores + 1, at most ``MAX_WORKERS``; ``WEB_CONCURRENCY`` sets another number.
"""

import os

from core.embedded_db import machine_cores

MAX_WORKERS = 9  # each worker holds a connection and ~100 MB; more rarely helps one machine


def worker_count(core_count: int) -> int:
    """Return the sync workers for ``core_count`` cores."""
    return min(2 * core_count + 1, MAX_WORKERS)


wsgi_app = "citypairing.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY") or worker_count(machine_cores()))
worker_class = "sync"
timeout = 60
graceful_timeout = 20
# A worker is replaced after this many requests (with jitter, so not all at once): memory
# a long-lived process fragments is given back.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
