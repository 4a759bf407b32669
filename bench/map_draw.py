"""``python -m bench.map_draw``: time to first draw of the map with the twin-cities data.

Builds ``citypairing_bench_map`` on the embedded server (never ``citypairing``): migrated,
the seed loaded and the whole twin-cities file imported (``import_twin_cities``, about
24,600 pairings and 17,000 cities), unless ``--skip-build`` reuses it; it is kept unless
``--drop``. Then serves the app with gunicorn (DEBUG off, static files collected) and
opens ``/map/`` in headless Chromium several times, reading what the page itself
records: the milliseconds from navigation start to the first draw of the land, of the
pairings, and to the end of loading (cities clustered). Writes
``docs/benchmarks/map.json``; ``docs/map.md`` quotes it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import database
from bench.load import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
TWIN_CITIES_CSV = ROOT.parent / "shared" / "data" / "twin_cities.csv"
SCALE = "map"
TARGET_MS = 2000
# Phone and desktop, as the browser tests look at them.
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def manage(*arguments: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], check=True, cwd=ROOT)


def build(params: dict, name: str, csv_path: Path) -> None:
    """Create the database afresh: migrate, load the seed, import the twin cities."""
    database.recreate(params, name)
    manage("migrate", "--no-input", "-v", "0")
    manage("load_seed")
    manage("import_twin_cities", str(csv_path), "--no-progress")


def serve(port: int, static_root: str) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    environment = {**os.environ, "STATIC_ROOT": static_root}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        env=environment,
        cwd=ROOT,
        check=True,
    )
    return subprocess.Popen(
        [str(gunicorn), "citypairing.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        + ["--timeout", "120", "--log-level", "warning"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def chromium() -> str:
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit("Debian's chromium is needed (make browser installs it).")


def measure(base_url: str, path: str, runs: int) -> dict:
    """Open ``path`` ``runs`` times per viewport; return the page's own timings."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for label, viewport in VIEWPORTS.items():
            timings = []
            for _ in range(runs):
                context = browser.new_context(viewport=viewport, bypass_csp=True)
                page = context.new_page()
                page.goto(base_url + path)
                page.wait_for_function(
                    "(d => d.loaded && d.drawnMs)(document.getElementById('pairing-map').dataset)",
                    timeout=120_000,
                )
                timings.append(
                    page.evaluate(
                        "() => { const d = document.getElementById('pairing-map').dataset;"
                        " return {land: +d.landMs, data: +d.dataMs, lines: +d.linesMs,"
                        " cities: +d.citiesMs, drawn: +d.drawnMs,"
                        " all: +d.loadedMs,"
                        " loaded: d.loaded, status: document.getElementById('map-status')"
                        ".textContent}; }"
                    )
                )
                context.close()
            results[label] = {
                "runs": timings,
                "median_first_draw_ms": statistics.median(t["drawn"] for t in timings),
                "median_land_ms": statistics.median(t["land"] for t in timings),
                "median_all_drawn_ms": statistics.median(t["all"] for t in timings),
                "status": timings[-1]["status"],
            }
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.map_draw", description=__doc__)
    parser.add_argument("--skip-build", action="store_true", help="reuse the kept database")
    parser.add_argument(
        "--name", default=SCALE, help="the database is citypairing_bench_<name> (default: map)"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--csv", type=Path, default=TWIN_CITIES_CSV)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", default="/map/", help="the page to open (default /map/)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks" / "map.json")
    arguments = parser.parse_args(argv)
    params, name = database.configure(arguments.name)
    if not arguments.skip_build:
        started = time.monotonic()
        build(params, name, arguments.csv)
        print(f"Built {name} in {time.monotonic() - started:.0f} s")
    port = free_port()
    with tempfile.TemporaryDirectory() as static_root:
        server = serve(port, static_root)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", seconds=120)
            results = measure(f"http://127.0.0.1:{port}", arguments.path, arguments.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if arguments.drop:
                database.drop(params, name)
    # The machine is shared: the load average says how much else ran meanwhile.
    report = {
        "path": arguments.path,
        "target_ms": TARGET_MS,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
        **results,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n")
    for label in VIEWPORTS:
        figure = results[label]
        print(
            f"{label}: first draw {figure['median_first_draw_ms']:.0f} ms (median of "
            f"{arguments.runs}), land {figure['median_land_ms']:.0f} ms, everything "
            f"{figure['median_all_drawn_ms']:.0f} ms — {figure['status']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
