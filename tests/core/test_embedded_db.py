"""The embedded PostgreSQL server: idempotent start, safe from several processes at once."""

import json
import subprocess
import sys

import psycopg2
import pytest

from core.embedded_db import machine_cores, machine_memory, machine_settings, stop_server

START = (
    "import json, sys; from pathlib import Path; "
    "from core.embedded_db import ensure_server; "
    "print(json.dumps(ensure_server(Path(sys.argv[1]))))"
)


def start_in_subprocess(pgdata) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START, str(pgdata)], stdout=subprocess.PIPE, text=True
    )


def result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def pgdata(tmp_path):
    folder = tmp_path / "pg"
    yield folder
    stop_server(folder)


def test_starting_twice_in_a_row_reuses_the_running_server(pgdata):
    first = result(start_in_subprocess(pgdata))
    second = result(start_in_subprocess(pgdata))
    assert first["PID"] == second["PID"]
    connection = psycopg2.connect(dbname="postgres", host=first["HOST"], user="postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 150000
    connection.close()


def test_two_processes_starting_at_once_share_one_server(pgdata):
    processes = [start_in_subprocess(pgdata) for _ in range(2)]
    first, second = (result(process) for process in processes)
    assert first["PID"] == second["PID"]
    assert first["HOST"] == second["HOST"]


def test_a_new_cluster_starts_with_the_settings_sized_for_the_machine(pgdata):
    params = result(start_in_subprocess(pgdata))
    expected = machine_settings(machine_memory(), machine_cores())
    connection = psycopg2.connect(dbname="postgres", host=params["HOST"], user="postgres")
    with connection.cursor() as cursor:
        # shared_buffers needs a restart: a new cluster gets it before its first use.
        for name in ("shared_buffers", "work_mem", "effective_cache_size"):
            cursor.execute(
                "SELECT pg_size_bytes(current_setting(%s)), pg_size_bytes(%s)",
                [name, expected[name]],
            )
            running, wanted = cursor.fetchone()
            assert running == wanted, name
    connection.close()
