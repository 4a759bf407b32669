"""`make run` starts the job worker beside the server, and stopping the server stops it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_make_run_serves_and_runs_the_worker_until_the_server_stops():
    settings = connection.settings_dict
    host = quote(settings["HOST"], safe="")
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DB_SUFFIX", "MAKEFLAGS"}}
    env["DATABASE_URL"] = f"postgres://postgres@{host}:{settings['PORT']}/{settings['NAME']}"
    port = free_port()
    # -o seed: the test database is migrated already; the recipe of `run` itself runs.
    make = subprocess.Popen(
        ["make", "-o", "seed", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not answers(f"http://127.0.0.1:{port}/"):
            assert make.poll() is None and time.monotonic() < deadline, "no answer"
            time.sleep(0.5)
        processes = psutil.Process(make.pid).children(recursive=True)
        lines = {process: " ".join(process.cmdline()) for process in processes}
        workers = [process for process, line in lines.items() if "run_worker" in line]
        servers = [process for process, line in lines.items() if "gunicorn" in line]
        assert workers and servers, list(lines.values())

        for server in servers:
            server.terminate()
        assert make.wait(timeout=60) is not None
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert alive == [], "the worker outlived the server"
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
