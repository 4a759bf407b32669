"""``python -m bench.pages --scale large``: the HTML pairing list against the API's, over HTTP.

The issue's target: the page ``/pairings/`` serves at least half the requests per second
the API's ``/api/v1/pairings/`` does. Both are the same app (``bench/app_wsgi.py``) under
one gunicorn (2 sync workers, 127.0.0.1), on the benchmark database a ``python -m bench
--scale <scale> --build-only`` (or ``--keep``) left. For each pair of lists wrk loads the
page, then the API, then the page, then the API (``--rounds`` pairs, ``--seconds`` each),
so that whatever else the machine does falls on both alike (``bench.versus``'s loading).

Pairs: the plain lists (``/pairings/``, 25 a page; ``/api/v1/pairings/``, 50 a page: each
as a reader gets it), and the lists filtered by programme and status, as the in-process
scenario ``page_pairing_list`` asks them. Reported: each side's requests/s and latency,
and page ÷ API in requests/s (the target: at least 0.5).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from bench.load import HOST, WORKERS
from bench.versus import (
    CONNECTIONS,
    SCRIPT,
    THREADS,
    add_load_arguments,
    combine,
    get,
    kept_dataset,
    load,
    load_average,
    serving,
)

TARGET = 0.5  # the page's requests/s at least this share of the API's


def pairs(connection, variants: int = 5) -> dict[str, dict[str, list[str]]]:
    """Return each pair's page and API paths, chosen from the benchmark database."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT pr.slug FROM programmes_programme pr
               WHERE pr.is_published AND EXISTS (SELECT 1 FROM programmes_pairing p
                   WHERE p.programme_id = pr.id AND p.status = 'active' AND p.is_published)
               ORDER BY pr.id"""
        )
        slugs = [row[0] for row in cursor.fetchall()]
    chosen = random.Random(7).sample(slugs, min(variants, len(slugs)))
    filters = [urlencode({"programme": slug, "status": "active"}) for slug in chosen]
    return {
        "pairing_list": {"page": ["/pairings/"], "api": ["/api/v1/pairings/"]},
        "pairing_list_filtered": {
            "page": [f"/pairings/?{query}" for query in filters],
            "api": [f"/api/v1/pairings/?{query}" for query in filters],
        },
    }


def compare(base: str, chosen: dict, *, seconds: int, rounds: int) -> dict:
    """Load each pair's page and API in turn; return their figures and page ÷ API."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "script.lua").write_text(SCRIPT)
        for name, sides in chosen.items():
            runs = {"page": [], "api": []}
            for _ in range(rounds):
                for side in ("page", "api"):
                    runs[side].append(load(base, sides[side], seconds, folder))
            page, api = combine(runs["page"]), combine(runs["api"])
            ratio = round(page["rps"] / api["rps"], 2) if api["rps"] else 0.0
            results[name] = {
                "paths": sides,
                "page": page,
                "api": api,
                "runs": runs,
                "page_to_api_throughput": ratio,
                "target": TARGET,
                "met": ratio >= TARGET,
            }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    add_load_arguments(parser, "page, API")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    dataset = kept_dataset(args.scale, pairs)
    if dataset is None:
        return 2
    _, _, chosen = dataset
    figures = {
        "scale": args.scale,
        "server": f"gunicorn, {WORKERS} sync workers, {HOST}",
        "client": f"wrk, {THREADS} threads, {CONNECTIONS} connections, {args.seconds} s a run",
        "rounds": args.rounds,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average_before": load_average(),
    }
    with serving(os.environ.copy(), "bench.app_wsgi:application") as ((base, _),):
        for sides in chosen.values():  # every path answers before it is loaded
            for path in sides["page"] + sides["api"]:
                get(base + path)
        figures["pairs"] = compare(base, chosen, seconds=args.seconds, rounds=args.rounds)
    figures["load_average_after"] = load_average()
    if args.output:
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    print(markdown(figures))
    return 0


def markdown(figures: dict) -> str:
    """Return the figures as a Markdown table."""
    lines = [
        "| list | page req/s | API req/s | page ÷ API | page p50 / p95 ms | API p50 / p95 ms "
        f"| at least {TARGET} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, pair in figures["pairs"].items():
        page, api = pair["page"], pair["api"]
        lines.append(
            f"| {name} | {page['rps']:,.1f} | {api['rps']:,.1f} "
            f"| {pair['page_to_api_throughput']} | {page['p50_ms']} / {page['p95_ms']} "
            f"| {api['p50_ms']} / {api['p95_ms']} | {'yes' if pair['met'] else 'no'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
