"""``python -m bench.versus --scale large``: the app against the raw peer, over HTTP.

Both run under the same gunicorn (2 sync workers each, 127.0.0.1), on the benchmark
database a ``python -m bench --scale <scale> --build-only`` (or ``--keep``) left. For each
scenario wrk loads the app, then the peer, then the app, then the peer (``--rounds``
pairs, ``--seconds`` each), so that whatever else the machine does falls on both alike.
Reported per scenario: requests/s and latency percentiles of each side, and the ratios
app ÷ peer (throughput: peer ÷ app, so that both ratios read "times slower").

Before loading, one variant of each scenario is fetched from both and compared after
parsing (origins aside): the peer must answer what the app answers.

Scenarios: the pairing list, a pairing detail, activities in a month, a cursor page, a
delta pull (``modified_since``), and the floor (``bench/app_wsgi.py``: a view that reads
nothing, the fixed cost of a request).

``--scenarios cursor_walk`` (only when named) walks every published pairing through the
cursor pages (500 a page, following ``next`` to the end, one client) against one gunicorn
worker per side, app, peer, app, peer (``--walks`` pairs): rows/s of each whole walk, and
the worker's resident memory sampled every ten pages, which must stay flat walk after walk.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import orjson

from bench import database
from bench.load import HOST, ROTATE, TIMEOUT_S, WORKERS, free_port, serve, wrk_path
from bench.scales import SCALES
from bench.scenarios import cursor_token

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 8
THREADS = 2
WALK = "cursor_walk"  # not a wrk scenario: one client follows ``next`` to the end
WALK_PAGE_SIZE = 500  # the largest page the API serves
RSS_EVERY = 10  # pages between two samples of the worker's resident memory

SCRIPT = (
    ROTATE
    + r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH {"requests": %d, "duration_us": %d, "errors": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d}\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
)


def scenarios(connection) -> dict[str, list[str]]:
    """Return each scenario's paths, chosen from the benchmark database."""
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.id FROM programmes_pairing p
               JOIN programmes_programme pr ON pr.id = p.programme_id
               WHERE p.is_published AND pr.is_published ORDER BY p.id"""
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(modified) FROM programmes_pairing")
        latest = cursor.fetchone()[0]
    months, month = [], datetime.date(2025, 4, 1)
    while len(months) < 12:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    positions = [ids[len(ids) * k // 10] for k in range(1, 10)]
    return {
        "pairing_list": ["/api/v1/pairings/?page_size=50"],
        "pairing_detail": [f"/api/v1/pairings/{pk}/" for pk in rng.sample(ids, 20)],
        "activities_month": [f"/api/v1/activities/?month={m:%Y-%m}" for m in months],
        "cursor_page": ["/api/v1/pairings/?pagination=cursor&page_size=50"]
        + [
            "/api/v1/pairings/?"
            + urlencode({"cursor": cursor_token(p), "page_size": 50, "pagination": "cursor"})
            for p in positions
        ],
        "delta_pull": [
            "/api/v1/pairings/?"
            + urlencode({"modified_since": (latest - datetime.timedelta(days=d)).isoformat()})
            for d in (1, 3, 7, 14)
        ],
        "floor": ["/api/bench/floor/"],
    }


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        return response.read()


def wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            get(f"{base}/api/bench/floor/")
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{base} did not start") from None
            time.sleep(0.3)


def load_average() -> list[float]:
    """Return the machine's load averages: read ratios, not absolute figures, on a machine
    others use."""
    return [round(value, 2) for value in os.getloadavg()]


def add_load_arguments(parser: argparse.ArgumentParser, pairs: str) -> None:
    """Add the options every interleaved benchmark takes (``pairs``: what alternates)."""
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help=f"{pairs} pairs per scenario")
    parser.add_argument("--output", type=Path, help="write the figures as JSON here")


def kept_dataset(scale: str, choose):
    """Return the server's parameters, the database's name and ``choose(connection)`` (the
    paths to load) for the kept dataset of ``scale``; None, having said why, without wrk
    or without the dataset."""
    if wrk_path() is None:
        print("wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return None
    params, name = database.configure(scale)
    if not database.exists(params, name):
        print(f"No database {name}: python -m bench --scale {scale} --build-only first.")
        return None
    # A dataset built before the code's latest migrations gets them (database functions
    # the statements call); the records stay as they are.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    connection = database.connect(params, name)
    try:
        return params, name, choose(connection)
    finally:
        connection.close()


@contextlib.contextmanager
def serving(environment: dict, *wsgis: str, workers: int = WORKERS):
    """Serve each WSGI application under its own gunicorn; yield their base URLs and
    servers once all answer, and stop them afterwards."""
    servers = []
    try:
        for wsgi in wsgis:
            port = free_port()
            server = serve(wsgi, port, environment, workers=workers)
            servers.append((f"http://{HOST}:{port}", server))
        for base, server in servers:
            wait_for(base, server)
        yield servers
    finally:
        for _, server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for _, server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def same_answer(app_base: str, peer_base: str, path: str) -> bool:
    """Return whether app and peer answer ``path`` alike (an estimated count aside: each
    is the planner's estimate for its own statement)."""
    app = orjson.loads(get(app_base + path).decode().replace(app_base, "ORIGIN"))
    peer = orjson.loads(get(peer_base + path).decode().replace(peer_base, "ORIGIN"))
    for answer in (app, peer):
        if isinstance(answer, dict) and answer.get("count_exact") is False:
            answer.pop("count")
    return app == peer


def load(base: str, paths: list[str], seconds: int, folder: Path) -> dict:
    path_file = folder / "paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    for path in paths:  # warm: every worker's caches, and PostgreSQL's
        get(base + path)
    completed = subprocess.run(
        [
            wrk_path(),
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            f"--timeout={TIMEOUT_S}s",
            "-s",
            str(folder / "script.lua"),
            base,
        ],
        env={**os.environ, "BENCH_PATHS": str(path_file)},
        capture_output=True,
        text=True,
        timeout=seconds + TIMEOUT_S + 30,
        check=True,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("BENCH "))
    raw = json.loads(line.removeprefix("BENCH "))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50"] / 1000, 2),
        "p95_ms": round(raw["p95"] / 1000, 2),
        "p99_ms": round(raw["p99"] / 1000, 2),
        "errors": raw["errors"],
    }


def worker_of(server: subprocess.Popen) -> int:
    """Return the process id of the one worker gunicorn started for ``server``."""
    deadline = time.monotonic() + 30
    while True:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if children:
            return int(children[0])
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn started no worker")
        time.sleep(0.2)


def rss_mb(pid: int) -> float:
    """Return the resident memory of process ``pid``, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def walk(base: str, worker: int) -> dict:
    """Follow the cursor's ``next`` from the first page to the last; time the whole walk."""
    url = f"{base}/api/v1/pairings/?pagination=cursor&page_size={WALK_PAGE_SIZE}"
    pages = rows = 0
    memory = [rss_mb(worker)]
    started = time.perf_counter()
    while url:
        answer = orjson.loads(get(url))
        pages += 1
        rows += len(answer["results"])
        if pages % RSS_EVERY == 0:
            memory.append(rss_mb(worker))
        url = answer["next"]
    seconds = time.perf_counter() - started
    memory.append(rss_mb(worker))
    return {
        "rows": rows,
        "pages": pages,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "rss_mb": {"start": memory[0], "max": max(memory), "end": memory[-1]},
    }


def walks(environment: dict, rounds: int) -> dict:
    """Walk app and peer in turn, ``rounds`` times each, one gunicorn worker per side."""
    sides = {"app": "bench.app_wsgi:application", "peer": "bench.peer:application"}
    with serving(environment, *sides.values(), workers=1) as servers:
        bases = {side: base for side, (base, _) in zip(sides, servers, strict=True)}
        workers = {
            side: worker_of(server) for side, (_, server) in zip(sides, servers, strict=True)
        }
        runs = {"app": [], "peer": []}
        for _ in range(rounds):
            for side in sides:
                runs[side].append(walk(bases[side], workers[side]))
    app, peer = (
        round(sum(run["rows_per_second"] for run in runs[side]) / rounds) for side in sides
    )
    return {
        "page_size": WALK_PAGE_SIZE,
        "server": f"gunicorn, 1 sync worker each, {HOST}",
        "same_rows": len({run["rows"] for run in runs["app"] + runs["peer"]}) == 1,
        "app_rows_per_second": app,
        "peer_rows_per_second": peer,
        "throughput_ratio": round(peer / app, 2),
        "runs": runs,
    }


def combine(runs: list[dict]) -> dict:
    """Return the mean of several runs' figures (errors summed)."""
    return {
        key: round(sum(run[key] for run in runs) / len(runs), 2)
        if key != "errors"
        else sum(run[key] for run in runs)
        for key in runs[0]
    }


def compare(chosen: dict, environment: dict, args, figures: dict) -> None:
    """Load each wrk scenario on app and peer in turn (2 workers each); add the figures."""
    with serving(environment, "bench.app_wsgi:application", "bench.peer:application") as servers:
        (app_base, _), (peer_base, _) = servers
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            (folder / "script.lua").write_text(SCRIPT)
            for scenario, paths in chosen.items():
                same = same_answer(app_base, peer_base, paths[-1])
                runs = {"app": [], "peer": []}
                for _ in range(args.rounds):
                    for side, base in (("app", app_base), ("peer", peer_base)):
                        runs[side].append(load(base, paths, args.seconds, folder))
                app, peer = combine(runs["app"]), combine(runs["peer"])
                result = {
                    "paths": len(paths),
                    "same_json": same,
                    "app": app,
                    "peer": peer,
                    "runs": runs,
                    "throughput_ratio": round(peer["rps"] / app["rps"], 2),
                    "p50_ratio": round(app["p50_ms"] / peer["p50_ms"], 2),
                    "p95_ratio": round(app["p95_ms"] / peer["p95_ms"], 2),
                }
                figures["scenarios"][scenario] = result
                print(
                    f"{scenario}: app {app['rps']}/s p50 {app['p50_ms']} p95 {app['p95_ms']} | "
                    f"peer {peer['rps']}/s p50 {peer['p50_ms']} p95 {peer['p95_ms']} | "
                    f"× {result['throughput_ratio']} (p50 × {result['p50_ratio']}, "
                    f"p95 × {result['p95_ratio']}) same JSON: {same}",
                    flush=True,
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__)
    add_load_arguments(parser, "app, peer")
    parser.add_argument(
        "--scenarios", help=f"comma-separated names (default: all but {WALK}, run only when named)"
    )
    parser.add_argument("--walks", type=int, default=2, help=f"app, peer pairs of {WALK}")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    dataset = kept_dataset(args.scale, scenarios)
    if dataset is None:
        return 2
    params, name, chosen = dataset
    named = args.scenarios.split(",") if args.scenarios else list(chosen)
    chosen = {k: v for k, v in chosen.items() if k in named}
    environment = {**os.environ, "BENCH_PEER_DSN": f"dbname={name} host={params['HOST']}"}
    environment["BENCH_PEER_DSN"] += f" port={params['PORT']} user={params['USER']}"
    figures = {
        "scale": args.scale,
        "server": f"gunicorn, {WORKERS} sync workers each, {HOST}",
        "client": f"wrk, {THREADS} threads, {CONNECTIONS} connections, {args.seconds} s a run",
        "rounds": args.rounds,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average_start": load_average(),
        "scenarios": {},
    }
    if chosen:
        compare(chosen, environment, args, figures)
    if WALK in named:
        result = figures[WALK] = walks(environment, args.walks)
        print(
            f"{WALK}: app {result['app_rows_per_second']:,} rows/s | peer "
            f"{result['peer_rows_per_second']:,} rows/s | × {result['throughput_ratio']} | "
            f"app worker RSS {[run['rss_mb'] for run in result['runs']['app']]}",
            flush=True,
        )
    figures["load_average_end"] = load_average()
    if args.output:
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    print(markdown(figures))
    return 0


def markdown(figures: dict) -> str:
    """Return the figures as a Markdown table."""
    lines = [
        "| scenario | app req/s | peer req/s | peer ÷ app | app p50 / p95 ms "
        "| peer p50 / p95 ms | p50 × | p95 × | same JSON |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, s in figures["scenarios"].items():
        lines.append(
            f"| {name} | {s['app']['rps']:,.0f} | {s['peer']['rps']:,.0f} "
            f"| {s['throughput_ratio']} | {s['app']['p50_ms']} / {s['app']['p95_ms']} "
            f"| {s['peer']['p50_ms']} / {s['peer']['p95_ms']} | {s['p50_ratio']} "
            f"| {s['p95_ratio']} | {'yes' if s['same_json'] else 'NO'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
