"""Production settings refuse unsafe configurations and pass Django's deploy checks."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from citypairing.gunicorn_conf import MAX_WORKERS, worker_count
from core.embedded_db import SHARED_BUFFERS_CAP, MiB, machine_settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # Test-only switches (the browser tests allow async-unsafe calls) are not production.
    leave_out = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(DJANGO_ENV="production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", SECRET_KEY="", ALLOWED_HOSTS="registry.example.org")
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_production_refuses_debug():
    result = manage(
        "check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x.org", DEBUG="true"
    )
    assert result.returncode != 0
    assert "refuses DEBUG" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="registry.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def database_url() -> str:
    """Return a URL to the test database (the embedded server's socket folder quoted)."""
    db = connection.settings_dict
    host = quote(str(db["HOST"]), safe="")
    return f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return fetch(url)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.django_db
def test_make_run_serves_pages_and_compressed_static_files_with_gunicorn(tmp_path):
    port = free_port()
    # The run target's own commands, without its set-up and seeding prerequisites.
    recipe = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", "seed", "run", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    *prepare, serve = recipe
    assert "gunicorn" in serve
    leave_out = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(
        DATABASE_URL=database_url(), STATIC_ROOT=str(tmp_path / "static"), WEB_CONCURRENCY="2"
    )
    for command in prepare:
        subprocess.run(command, shell=True, cwd=ROOT, env=environment, check=True, timeout=300)
    server = subprocess.Popen(
        serve,
        shell=True,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        status, headers, body = wait_for(f"http://127.0.0.1:{port}/", server)
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        page = body.decode()
        assert "Traceback" not in page  # DEBUG is off under `make run`
        # Hashed names (collectstatic's manifest), served gzipped and cached for ever.
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page[:2000]
        url = f"http://127.0.0.1:{port}{stylesheet[1]}"
        status, headers, body = fetch(url, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert body[:2] == b"\x1f\x8b"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        # gunicorn's graceful stop (graceful_timeout, 20 s) and then the job worker's.
        server.wait(timeout=60)


def test_workers_follow_the_core_count_up_to_a_cap():
    assert worker_count(1) == 3
    assert worker_count(2) == 5
    assert worker_count(64) == MAX_WORKERS


def test_embedded_postgres_settings_are_sized_for_the_machine():
    small = machine_settings(4096 * MiB, 2)
    assert small["shared_buffers"] == "1024MB"
    assert small["effective_cache_size"] == "3072MB"
    assert small["work_mem"] == "16MB"
    big = machine_settings(256 * 1024 * MiB, 32)
    assert big["shared_buffers"] == f"{SHARED_BUFFERS_CAP // MiB}MB"
    assert big["work_mem"] == "64MB"


@pytest.mark.django_db
def test_connections_are_kept_and_checked_in_the_embedded_and_url_cases():
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    # Checked without a statement sent (tests/core/test_connection_check.py).
    assert connection.settings_dict["ENGINE"] == "core.backends.postgresql"
    script = (
        "import django; django.setup(); from django.db import connection as c; "
        "print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'], "
        "c.settings_dict['ENGINE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "citypairing.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["60", "True", "core.backends.postgresql"], result.stderr
    # The running server got the sized settings (the test cluster is this machine's).
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')")
        assert cursor.fetchone()[0] == "1.1"
