"""``python -m bench.rss_walk --scale large --walks 3``: a gunicorn worker's memory over
full cursor walks.

One gunicorn worker (``bench.load.serve``, as the benchmark serves the app) answers every
published pairing, 500 a page, in cursor mode, walk after walk; its resident size
(``VmRSS``) is sampled every ``--every`` pages. Reported per walk: rows, pages, seconds,
rows/s, and the worker's resident size at the start, the end and its highest. The
target (issue 18): flat, under 300 MB, however many walks.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

import orjson

from bench import database
from bench.load import HOST, TIMEOUT_S, free_port, serve, wait_until_up

PAGE_SIZE = 500


def resident_mb(pid: int) -> float:
    """Return the resident size of process ``pid`` in MB (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def worker_of(master: int) -> int:
    """Return the pid of gunicorn master ``master``'s one worker."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("gunicorn started no worker")


def walk(base: str, worker: int, every: int) -> dict:
    """Walk every page once; return the walk's figures and resident-size samples."""
    url = f"{base}/api/v1/pairings/?pagination=cursor&page_size={PAGE_SIZE}"
    rows = pages = 0
    samples = [resident_mb(worker)]
    started = time.perf_counter()
    while url:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            answer = orjson.loads(response.read())
        rows += len(answer["results"])
        pages += 1
        url = answer["next"]
        if pages % every == 0:
            samples.append(resident_mb(worker))
    seconds = time.perf_counter() - started
    samples.append(resident_mb(worker))
    return {
        "rows": rows,
        "pages": pages,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "rss_mb_start": samples[0],
        "rss_mb_end": samples[-1],
        "rss_mb_max": max(samples),
        "rss_mb_samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rss_walk", description=__doc__)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--walks", type=int, default=3)
    parser.add_argument("--every", type=int, default=10, help="sample every this many pages")
    parser.add_argument("--output", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    params, name = database.configure(args.scale)
    if not database.exists(params, name):
        print(f"No database {name}: python -m bench --scale {args.scale} --build-only first.")
        return 2
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = serve("citypairing.wsgi", port, os.environ.copy(), workers=1)
    figures = {
        "scale": args.scale,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
        "walks": [],
    }
    try:
        wait_until_up(base)
        worker = worker_of(server.pid)
        for number in range(1, args.walks + 1):
            result = walk(base, worker, args.every)
            figures["walks"].append(result)
            print(
                f"walk {number}: {result['rows']:,} rows in {result['pages']} pages, "
                f"{result['seconds']} s ({result['rows_per_second']:,} rows/s); worker RSS "
                f"{result['rss_mb_start']} → {result['rss_mb_end']} MB (max "
                f"{result['rss_mb_max']})",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    figures["load_average_after"] = os.getloadavg()
    if args.output:
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
