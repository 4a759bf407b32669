"""Every command README.md and docs/*.md show is run, against the seeded registry.

Commands come from the fenced ``sh`` blocks and the indented code blocks. ``curl`` runs as
written (through bash, against a live server with the seed loaded; ``--fail-with-body``
added so an HTTP error fails it) and must answer data; ``manage.py`` commands run in this
process, on the test database. What cannot run here is in ``ELSEWHERE``, with the test
that covers it; a new command that is in neither fails this test.
"""

import io
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from programmes.models import Pairing

ROOT = Path(settings.BASE_DIR)
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The ETag README's examples show, replaced by the pairing's own when they are run.
EXAMPLE_ETAG = 'W/"2026-03-01T09:30:00.123456+00:00"'
COMMAND_WORDS = ("curl", "make", ".venv/", "python", "createdb", "npm", "export", "DATABASE_URL")

# Commands shown but not run here: why, and which test covers them instead.
ELSEWHERE = {
    "make run": "serves until stopped: tests/test_deployment.py runs its recipe (gunicorn), "
    "tests/jobs/test_make_run.py the whole target (the server and the worker)",
    "make dev": "the development server, until stopped; make run's set-up is the same",
    "make test": "this test suite itself, as .ci/run runs it",
    "make bench": "slow at any scale; tests/bench runs the benchmark at a tiny scale",
    ".venv/bin/python -m bench": "slow; tests/bench runs the benchmark at a tiny scale",
    ".venv/bin/python -m bench.partner_holdout": "needs the imported twin towns: "
    "tests/bench/test_partner_holdout.py runs its functions on a small registry",
    ".venv/bin/python -m bench.map_draw": "imports the whole twin-cities file: "
    "tests/bench/test_map_draw.py runs it on 40 lines",
    ".venv/bin/python -m bench.search_recall": "slow in full: tests/bench/test_search_recall.py "
    "runs it on 2,000 cities",
    "python3 -m venv": "installs the project: make and .ci/run do it before the tests",
    "npm ci": "installs the front-end packages: make and .ci/run do it",
    "export DJANGO_ENV=production": "settings for production: tests/test_deployment.py",
    ".venv/bin/gunicorn": "a server that runs until stopped: tests/test_deployment.py",
    ".venv/bin/python -m core.backup": "dump and restore: tests/core/test_backup.py",
    "createdb": "creates a PostgreSQL database: tests/core/test_backup.py restores into one",
    "DATABASE_URL=": "runs on another database: tests/core/test_backup.py, tests/cities",
    "createdb-style": "prose in a code block, not a command",
    ".venv/bin/python -m intake": "the intake evaluation and benchmark: tests/intake",
    ".venv/bin/python -m bench.intake": "the intake benchmark: tests/intake",
    ".venv/bin/python fixtures/tools/fill_gazetteer.py": "by hand, reads the gazetteer",
    "manage.py createsuperuser": "asks for a password on a terminal (Django's own command)",
    "manage.py migrate": "the test database is migrated by the test run itself",
    "manage.py collectstatic": "writes the static files: tests/test_deployment.py",
    "manage.py import_twin_cities [path]": "the command's synopsis; tests/imports run it",
    "manage.py run_worker": "runs until stopped: tests/jobs/test_worker.py runs it",
}


def code_lines(text: str):
    """Yield the lines of the fenced ``sh`` blocks and of the indented code blocks."""
    for block in re.findall(r"^```(?:sh|bash)\n(.*?)^```", text, re.M | re.S):
        yield from block.splitlines()
    without_fences = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    for line in without_fences.splitlines():
        if line.startswith("    ") and line.strip().startswith(COMMAND_WORDS):
            yield line.strip()


def commands(text: str) -> list[str]:
    """Return the commands of ``text``: continuation lines joined, comments removed."""
    found, pending = [], ""
    for line in code_lines(text):
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line and not line.startswith("#"):
            found.append(line)
    return found


def shown_commands() -> list[tuple[str, str]]:
    return [(path.name, command) for path in DOCUMENTS for command in commands(path.read_text())]


def elsewhere(command: str) -> bool:
    bare = command.split("manage.py", 1)[-1] if "manage.py" in command else command
    return any(
        command.startswith(prefix) or f"manage.py{bare}".startswith(prefix) for prefix in ELSEWHERE
    )


class Registry:
    """The seeded registry the examples run against, and their placeholders' values."""

    def __init__(self, live_server, tmp_path, admin_user):
        from knox.models import AuthToken

        _, key = AuthToken.objects.create(user=admin_user, expiry=None)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "API": f"{live_server.url}/api/v1",
            "TOKEN": f"Authorization: Token {key}",
        }
        self.tmp_path = tmp_path
        self.key = key
        self.revoke_prefix = ""
        self.pairing = (
            Pairing.objects.filter(status__in=["agreed", "active"], stream__isnull=False)
            .order_by("pk")
            .first()
        )
        # Two cities paired with nobody in the pairing's programme: a new pairing of them
        # is valid.
        paired = Pairing.objects.filter(programme=self.pairing.programme).values(
            "participants__city"
        )
        from cities.models import City

        self.new_cities = list(
            City.objects.exclude(pk__in=paired).order_by("pk").values_list("pk", flat=True)[:2]
        )

    def substitute(self, command: str) -> str:
        """Put this registry's ids, ETag and key where the documents show examples."""
        command = command.replace("/pairings/12/", f"/pairings/{self.pairing.pk}/")
        if EXAMPLE_ETAG in command:
            self.pairing.refresh_from_db()
            from core.concurrency import etag_of

            command = command.replace(EXAMPLE_ETAG, etag_of(self.pairing))
        command = command.replace('"programme": 1', f'"programme": {self.pairing.programme_id}')
        # In one pass: a first id starting with 9 ("city": 93…) is not replaced again.
        example_cities = {"4": self.new_cities[0], "9": self.new_cities[1]}
        command = re.sub(
            r'"city": ([49])\b', lambda found: f'"city": {example_cities[found[1]]}', command
        )
        return command.replace("<first 15 characters of the key>", self.revoke_prefix)

    def curl(self, command: str) -> None:
        command = re.sub(r"\bcurl\b", "curl --fail-with-body -sS", self.substitute(command))
        result = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command}"],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.tmp_path,
            check=False,
        )
        assert result.returncode == 0, (command, result.stdout[:500], result.stderr[:500])
        output = result.stdout
        written = re.search(r"-o (\S+)", command)
        if written:
            output = (self.tmp_path / written.group(1)).read_text()
        assert output.strip(), command
        if output.lstrip().startswith("{"):
            body = json.loads(output)
            for key in ("results", "features"):
                if key in body:
                    assert body[key], (command, "no data")

    def manage(self, command: str) -> None:
        arguments = shlex.split(self.substitute(command.split("manage.py", 1)[1]))
        out = io.StringIO()
        call_command(*arguments, stdout=out, stderr=io.StringIO())
        printed = out.getvalue()
        if arguments[:2] == ["api_token", "create"]:
            self.revoke_prefix = printed.strip().split()[-1][:15]
            assert len(self.revoke_prefix) == 15, printed


def test_every_documented_command_runs_or_is_covered_elsewhere():
    """The extraction finds the examples, and each is run below or listed with its test."""
    shown = shown_commands()
    assert any("curl" in command for _, command in shown)
    assert any("api_token create" in command for _, command in shown)
    runnable = ("curl", "API=", "TOKEN=")
    unhandled = [
        (name, command)
        for name, command in shown
        if not command.startswith(runnable)
        and not ("manage.py" in command and not elsewhere(command))
        and not elsewhere(command)
    ]
    assert unhandled == []


@pytest.mark.django_db(transaction=True)
def test_documented_commands_answer_data_from_the_seeded_registry(
    live_server, tmp_path, django_user_model
):
    call_command("load_seed", stdout=io.StringIO())
    django_user_model.objects.create_user("partner-user")
    admin = django_user_model.objects.create_superuser("docs-admin", "a@example.org", "x")
    registry = Registry(live_server, tmp_path, admin)
    ran = []
    for name, command in shown_commands():
        if command.startswith(("API=", "TOKEN=")):
            continue  # set by the test: the live server's address, an administrator's token
        if command.startswith("curl"):
            registry.curl(command)
        elif "manage.py" in command and not elsewhere(command):
            registry.manage(command)
        else:
            continue
        ran.append((name, command))
    assert len(ran) >= 15, ran
