"""The benchmark's own database on the embedded server: never the user's ``citypairing``.

``configure`` must run before ``django.setup()``: it points ``DATABASE_URL`` at
``citypairing_bench_<scale>`` and sets the environment the measured app runs with (no
DEBUG query log, no API rate limits), so the in-process client and the gunicorn
subprocess see the same settings.
"""

from __future__ import annotations

import contextlib
import os

import psycopg2
from psycopg2 import sql

from core.embedded_db import default_pgdata, ensure_server

PREFIX = "citypairing_bench_"

# The app as deployed: DEBUG off (Django keeps no query log), and rate limits off, since
# the benchmark is one client sending thousands of requests on purpose.
APP_ENVIRONMENT = {
    "DEBUG": "false",
    "API_THROTTLE_ANON": "off",
    "API_THROTTLE_USER": "off",
}


def database_name(scale: str) -> str:
    """Return the name of the benchmark database for ``scale``."""
    return f"{PREFIX}{scale}"


def server() -> dict:
    """Start (or find) the embedded server and return its connection parameters."""
    return ensure_server(default_pgdata())


# A request whose query runs longer than this fails (and counts as an error), rather than
# holding the benchmark for minutes: gunicorn gives up on a worker after 30 s as well.
STATEMENT_TIMEOUT = "30s"


def database_url(params: dict, name: str) -> str:
    return (
        f"postgres://{params['USER']}@/{name}?host={params['HOST']}&port={params['PORT']}"
        f"&options=-c%20statement_timeout%3D{STATEMENT_TIMEOUT}"
    )


def connect(params: dict, name: str = "postgres"):
    """Return a psycopg2 connection to database ``name`` on the embedded server."""
    return psycopg2.connect(
        dbname=name, host=params["HOST"], port=params["PORT"], user=params["USER"]
    )


def exists(params: dict, name: str) -> bool:
    connection = connect(params)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def recreate(params: dict, name: str) -> None:
    """Drop database ``name`` if it exists and create it empty."""
    drop(params, name)
    connection = connect(params)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def drop(params: dict, name: str) -> None:
    """Drop database ``name`` (closing whatever connections it still has)."""
    if not name.startswith(PREFIX):
        raise ValueError(f"Refusing to drop {name!r}: only benchmark databases are dropped.")
    connection = connect(params)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


def configure(scale: str) -> tuple[dict, str]:
    """Point this process (and its children) at the benchmark database for ``scale``.

    Return the server parameters and the database name. Call before ``django.setup()``.
    """
    params = server()
    name = database_name(scale)
    os.environ["DATABASE_URL"] = database_url(params, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citypairing.settings")
    os.environ.update(APP_ENVIRONMENT)
    # A replica or Redis configured in the shell would measure another set-up.
    for variable in ("DATABASE_REPLICA_URL", "REDIS_URL", "TEST_DB_SUFFIX"):
        with contextlib.suppress(KeyError):
            del os.environ[variable]
    return params, name
