"""Throughput: the app under gunicorn (2 workers, 127.0.0.1 only) loaded by wrk.

wrk (Debian package ``wrk``; ``make bench`` installs it) sends a fixed mix of requests
— every variant of every scenario, in turn — over a fixed number of connections for a
fixed time, then stops by itself. A Lua script rotates the paths and prints the figures
as JSON: requests/s, latency percentiles, and errors (connection failures, timeouts,
and responses with status 400 or above).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2
CONNECTIONS = 8
THREADS = 2
TIMEOUT_S = 30  # a request slower than this counts as an error

# Each request the next of the paths listed in the file BENCH_PATHS names, in turn.
ROTATE = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""

SCRIPT = (
    ROTATE
    + r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""
)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_up(base_url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/api/v1/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer on {base_url} within {seconds:.0f} s")
        time.sleep(0.3)


def serve(
    wsgi: str, port: int, environment: dict, *, stderr=subprocess.DEVNULL, workers=WORKERS
) -> subprocess.Popen:
    """Start gunicorn serving ``wsgi`` on ``port`` in its own process group."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [
            str(gunicorn),
            wsgi,
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            str(TIMEOUT_S),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )


def run_load(paths: list[str], seconds: int, *, connections: int = CONNECTIONS) -> dict:
    """Serve the app with gunicorn and load it with wrk for ``seconds``; return figures."""
    wrk = wrk_path()
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install wrk, or make bench)"}
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    server = serve("citypairing.wsgi", port, os.environ.copy(), stderr=subprocess.PIPE)
    try:
        wait_until_up(base_url)
        with tempfile.TemporaryDirectory() as folder:
            path_file = Path(folder) / "paths.txt"
            path_file.write_text("\n".join(paths) + "\n")
            script = Path(folder) / "rotate.lua"
            script.write_text(SCRIPT)
            # One pass over the paths first, so every worker has warmed up its caches
            # (a path that fails or times out here fails under wrk too, and counts there).
            for path in paths:
                try:
                    with urllib.request.urlopen(f"{base_url}{path}", timeout=TIMEOUT_S) as reply:
                        reply.read()
                except OSError:
                    pass
            completed = subprocess.run(
                [
                    wrk,
                    f"-t{THREADS}",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    f"--timeout={TIMEOUT_S}s",
                    "-s",
                    str(script),
                    base_url,
                ],
                env={**os.environ, "BENCH_PATHS": str(path_file)},
                capture_output=True,
                text=True,
                timeout=seconds + TIMEOUT_S + 30,
                check=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            _, server_errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            _, server_errors = server.communicate()
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    duration = figures["duration_us"] / 1e6
    errors = figures["errors"]
    return {
        "server": f"gunicorn, {WORKERS} sync workers, {HOST}",
        "client": f"wrk, {THREADS} threads, {connections} connections, {seconds} s",
        "paths": len(paths),
        "requests": figures["requests"],
        "requests_per_second": round(figures["requests"] / duration, 1),
        "p50_ms": round(figures["latency_us"]["p50"] / 1000, 1),
        "p90_ms": round(figures["latency_us"]["p90"] / 1000, 1),
        "p99_ms": round(figures["latency_us"]["p99"] / 1000, 1),
        "max_ms": round(figures["latency_us"]["max"] / 1000, 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "server_log_tail": (server_errors or "").strip().splitlines()[-5:],
    }
