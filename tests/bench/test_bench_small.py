"""The benchmark harness end to end, on the tiny scale, in its own database.

``python -m bench`` runs in a subprocess: it points Django at ``citypairing_bench_tiny``
(never the test database or ``citypairing``), builds the real cities and twin-town pairs
plus a few generated records, takes a few requests of every scenario, walks the cursor
for a few seconds, checks the filters with EXPLAIN, runs wrk for two seconds when it is
installed, writes its report into a temporary folder and drops its database.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
    "api_pairings_filtered",
    "api_activities_month",
    "api_city_search",
    "api_pairings_cursor",
    "api_modified_since",
    "page_pairing_list",
    "page_city_detail",
    "page_dashboard",
    "api_map_pairings",
    "api_map_cities",
}
DROP_TINY = (
    "from bench import database; params, name = database.configure('tiny'); "
    "database.drop(params, name)"
)


NEEDS_WRK = pytest.mark.skipif(
    shutil.which("wrk") is None and os.environ.get("CI") != "true",
    reason="wrk is not installed (make bench installs it; in CI it must be there)",
)


def bench_command(*args: str) -> subprocess.CompletedProcess:
    """Run ``python -m <args>`` from the repository, on the kept tiny dataset."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scale",
            "tiny",
            "--requests",
            "3",
            "--variants",
            "2",
            "--walk-seconds",
            "3",
            "--load-seconds",
            "2",
            "--output-dir",
            str(output),
            "--keep",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        assert completed.returncode == 0, completed.stderr[-3000:]
        data = json.loads((output / "benchmarks" / "tiny.json").read_text())
        data["markdown"] = (output / "benchmarks.md").read_text()
        yield data
    finally:
        # Kept for the app-versus-peer run below; dropped as the bench itself drops it.
        subprocess.run([sys.executable, "-c", DROP_TINY], cwd=ROOT, check=True, timeout=120)


def test_bench_builds_the_real_base_and_generated_records(figures):
    rows = figures["build"]["rows"]
    assert rows["cities.City"] > 30_000
    assert rows["programmes.Pairing"] == 13_000
    assert rows["activities.Activity"] == 1_000


def test_bench_measures_every_scenario_without_errors(figures):
    results = {row["name"]: row for row in figures["scenarios"]}
    assert set(results) == SCENARIOS
    for name, row in results.items():
        assert row["errors"] == 0, name
        assert row["statuses"] == [200], name
        for key in ("median_ms", "p95_ms", "p99_ms"):
            assert row["app"][key] > 0, name
            assert row["baseline"][key] > 0, name
        assert row["ratio"] > 0, name


def test_bench_query_counts_are_bounded_and_do_not_grow_with_the_page(figures):
    for row in figures["scenarios"]:
        sizes = row.get("queries_page_size_5_200")
        if sizes:
            # A larger page never costs more; a page that holds the whole list costs one
            # query fewer (its rows are the count).
            assert sizes[1] <= sizes[0] <= sizes[1] + 1, (row["name"], sizes)
        assert row["queries"] <= 10, (row["name"], [q["sql"] for q in row["query_sql"]])


def test_bench_checks_filters_and_writes_the_report(figures):
    assert {row["resource"] for row in figures["explain"]} >= {"pairings", "activities"}
    assert not [row for row in figures["explain"] if row.get("invalid")]
    assert figures["cursor_walk"]["rows"] > 0
    assert "<!-- bench:results:start -->" in figures["markdown"]


@NEEDS_WRK
def test_bench_load_test_has_no_errors(figures):
    load = figures["load"]
    assert load["requests"] > 0
    assert load["errors"] == 0, load


def test_the_misspelt_city_search_finds_its_cities(figures):
    search = next(row for row in figures["scenarios"] if row["name"] == "api_city_search")
    assert search["variants"] == 2
    assert "not_listed" not in search
    assert search["errors"] == 0


@NEEDS_WRK
def test_the_app_and_the_raw_peer_give_the_same_json_in_one_interleaved_run(figures, tmp_path):
    """The command docs/benchmarks.md shows, on the tiny dataset for one second a run."""
    output = tmp_path / "versus.json"
    completed = bench_command(
        "bench.versus",
        "--scale",
        "tiny",
        "--seconds",
        "1",
        "--rounds",
        "1",
        "--scenarios",
        "pairing_list,pairing_detail,floor,cursor_walk",
        "--walks",
        "1",
        "--output",
        str(output),
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    figures = json.loads(output.read_text())
    scenarios = figures["scenarios"]
    assert set(scenarios) == {"pairing_list", "pairing_detail", "floor"}
    for name, result in scenarios.items():
        assert result["app"]["errors"] == 0 and result["peer"]["errors"] == 0, name
        assert result["app"]["rps"] > 0 and result["peer"]["rps"] > 0, name
        if name != "floor":
            assert result["same_json"], name
    assert "| pairing_list |" in completed.stdout
    # The full cursor walk: every published pairing, app and peer alike, one worker each.
    walk = figures["cursor_walk"]
    assert walk["same_rows"]
    for side in ("app", "peer"):
        (run,) = walk["runs"][side]
        assert run["rows"] > 1_000 and run["pages"] == -(-run["rows"] // 500), side
        assert run["rows_per_second"] > 0 and 0 < run["rss_mb"]["start"] <= run["rss_mb"]["max"]
    assert "cursor_walk: app" in completed.stdout


@NEEDS_WRK
def test_the_page_and_the_api_list_are_loaded_in_turn_without_errors(figures, tmp_path):
    """``python -m bench.pages``: the HTML pairing list against the API's, for one second a
    run, on the tiny dataset the harness kept."""
    output = tmp_path / "pages.json"
    completed = bench_command(
        "bench.pages", "--scale", "tiny", "--seconds", "1", "--rounds", "1", "--output", str(output)
    )
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
