"""The map's drawing benchmark end to end, on 40 lines of the twin-cities file.

``python -m bench.map_draw`` runs in a subprocess in its own database
(``citypairing_bench_map_test``, dropped afterwards), serves the app with gunicorn and
opens the map in headless Chromium at desktop and phone width.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.map_draw import TWIN_CITIES_CSV

ROOT = Path(__file__).resolve().parents[2]


def test_map_benchmark_reports_the_time_to_first_draw(tmp_path):
    if shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is not installed: CI must run the map benchmark.")
        pytest.skip("Debian's chromium is not installed (make browser installs it).")
    sample = tmp_path / "twins.csv"
    sample.write_text("".join(TWIN_CITIES_CSV.open().readlines()[:41]))
    output = tmp_path / "map.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.map_draw", "--name", "map_test", "--drop"]
        + ["--csv", str(sample), "--runs", "1", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    figures = json.loads(output.read_text())
    for viewport in ("desktop", "phone"):
        run = figures[viewport]["runs"][0]
        assert run["loaded"] == "true"
        assert run["land"] > 0
        assert run["drawn"] > 0
        assert "pairings and" in figures[viewport]["status"]
    assert "first draw" in completed.stdout
