"""``python -m bench --scale small|medium|large``: build, measure, report.

Builds the scale's dataset in its own database (``citypairing_bench_<scale>`` on the
embedded server, never ``citypairing``), measures every scenario and its baseline, runs
the load test, checks the API's filters with EXPLAIN, writes
``<output>/benchmarks/<scale>.json`` and the tables of ``<output>/benchmarks.md``, and
drops the database unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import shlex
import sys
import time
from pathlib import Path

from bench import database
from bench.scales import SCALES

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database afterwards"
    )
    parser.add_argument(
        "--skip-build", action="store_true", help="reuse the database kept by an earlier run"
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the dataset, keep it, measure nothing (then run with --skip-build)",
    )
    parser.add_argument("--requests", type=int, help="timed requests per scenario")
    parser.add_argument("--load-seconds", type=int, help="length of the load test (0: none)")
    parser.add_argument("--scenarios", help="comma-separated scenario names to run (default: all)")
    parser.add_argument(
        "--variants", type=int, help="use at most this many variants of each scenario"
    )
    parser.add_argument(
        "--walk-seconds",
        type=float,
        default=60,
        help="stop the full cursor walk after this long (default 60; the rate is reported)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=ROOT / "docs",
        help="where benchmarks.md and benchmarks/<scale>.json go (default: docs/)",
    )
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    scale = SCALES[args.scale]
    params, name = database.configure(scale.name)
    if args.skip_build and not database.exists(params, name):
        say(f"There is no database {name} to reuse: run without --skip-build first.")
        return 2
    if not args.skip_build:
        database.recreate(params, name)

    import django

    django.setup()
    # Failed requests are counted and described in the report, not logged with a traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.core.management import call_command
    from django.db import connection

    from bench import explain, load, report, run
    from bench.build import build
    from bench.scenarios import Probe

    json_folder = args.output_dir / "benchmarks"
    figures: dict = {
        "scale": scale.name,
        "command": "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "database": name,
    }
    try:
        if args.skip_build:
            earlier = json_folder / f"{scale.name}.json"
            figures["build"] = (
                json.loads(earlier.read_text()).get("build") if earlier.exists() else None
            )
        else:
            say(f"Building the {scale.name} dataset in {name} …")
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrated = time.perf_counter() - started
            builder_connection = database.connect(params, name)
            try:
                figures["build"] = build(scale, builder_connection)
            finally:
                builder_connection.close()
            figures["build"]["migrate_seconds"] = round(migrated, 2)
            say(
                f"Built {figures['build']['rows_total']:,} rows in "
                f"{figures['build']['seconds']:.0f} s (+{migrated:.0f} s of migrations): "
                + ", ".join(f"{k} {v:.0f} s" for k, v in figures["build"]["stages"].items())
            )
        if args.build_only:
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            figures["postgres"] = f"PostgreSQL {cursor.fetchone()[0]}"

        baseline_connection = database.connect(params, name)
        baseline_connection.autocommit = True
        try:
            scenarios = Probe(baseline_connection).all()
            if args.scenarios:
                chosen = set(args.scenarios.split(","))
                scenarios = [s for s in scenarios if s.name in chosen]
            if args.variants:
                for scenario in scenarios:
                    scenario.variants = scenario.variants[: args.variants]
            requests = args.requests or scale.requests
            # As the served application does once it has started (core.wsgi).
            from core.wsgi import freeze_start_up_heap

            freeze_start_up_heap()
            figures["scenarios"] = []
            for scenario in scenarios:
                say(f"Measuring {scenario.name} …")
                result = run.measure(scenario, baseline_connection, requests=requests)
                figures["scenarios"].append(result)
                if "app" in result:
                    say(
                        f"  p95 {result['app']['p95_ms']:.1f} ms, {result['queries']} queries, "
                        f"{result['ratio']:.1f}× baseline"
                    )
        finally:
            baseline_connection.close()

        if not args.scenarios:
            say("Walking all pairings with the cursor …")
            figures["cursor_walk"] = run.cursor_walk(limit_seconds=args.walk_seconds)
            say("Checking the API's filters with EXPLAIN ANALYZE …")
            figures["explain"] = explain.check_filters(
                search_text=next(
                    (
                        s.variants[0].params["text"]
                        for s in scenarios
                        if s.name == "api_city_search"
                    ),
                    "Surbaya",
                )
            )
        seconds = scale.load_seconds if args.load_seconds is None else args.load_seconds
        if seconds and not args.scenarios:
            say(f"Load test: {seconds} s …")
            connection.close()
            paths = [variant.url for scenario in scenarios for variant in scenario.variants]
            try:
                figures["load"] = load.run_load(paths, seconds)
            except Exception as error:  # the figures measured so far are still written
                figures["load"] = {"skipped": f"the load test failed: {error!r}"[:300]}
            if "requests_per_second" in figures["load"]:
                say(
                    f"  {figures['load']['requests_per_second']} requests/s, "
                    f"p99 {figures['load']['p99_ms']} ms, {figures['load']['errors']} errors"
                )
        figures["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        path = report.write_json(json_folder, scale.name, figures)
        report.write_markdown(args.output_dir / "benchmarks.md", report.load_all(json_folder))
        say(f"Wrote {path} and {args.output_dir / 'benchmarks.md'}.")
    finally:
        connection.close()
        if not (args.keep or args.build_only):
            database.drop(params, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
