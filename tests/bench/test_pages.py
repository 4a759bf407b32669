"""``python -m bench.pages``: the HTML pairing list against the API's, on the tiny scale.

The tiny dataset is built in its own database (``citypairing_bench_tiny``, never the test
database or ``citypairing``), both lists are loaded for a second each under gunicorn, and
the database is dropped afterwards.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DROP_TINY = (
    "from bench import database; params, name = database.configure('tiny'); "
    "database.drop(params, name)"
)

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None and os.environ.get("CI") != "true",
    reason="wrk is not installed (make bench installs it; in CI it must be there)",
)


def run(*args: str, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_the_page_and_the_api_list_are_loaded_in_turn_without_errors(tmp_path):
    built = run("bench", "--scale", "tiny", "--build-only", timeout=900)
    try:
        assert built.returncode == 0, built.stderr[-3000:]
        output = tmp_path / "pages.json"
        completed = run(
            "bench.pages",
            "--scale",
            "tiny",
            "--seconds",
            "1",
            "--rounds",
            "1",
            "--output",
            str(output),
            timeout=300,
        )
    finally:
        subprocess.run([sys.executable, "-c", DROP_TINY], cwd=ROOT, check=True, timeout=120)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    figures = json.loads(output.read_text())
    assert set(figures["pairs"]) == {"pairing_list", "pairing_list_filtered"}
    for name, pair in figures["pairs"].items():
        assert pair["paths"]["page"][0].startswith("/pairings/"), name
        assert pair["paths"]["api"][0].startswith("/api/v1/pairings/"), name
        for side in ("page", "api"):
            assert pair[side]["errors"] == 0, (name, side)
            assert pair[side]["rps"] > 0, (name, side)
        assert pair["page_to_api_throughput"] == round(pair["page"]["rps"] / pair["api"]["rps"], 2)
    assert "| pairing_list |" in completed.stdout
