"""Write the figures: raw JSON per scale, and the tables of ``docs/benchmarks.md``.

The Markdown tables go between two marker comments; the prose around them (analysis,
what was changed, what is left to fix) is written by hand and kept as it is.
"""

from __future__ import annotations

import json
import os
import platform
import re
from pathlib import Path

from bench.scales import SCALES

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
REPORTED_SCALES = ("small", "medium", "large")


def machine() -> dict:
    """Describe the machine the run is on."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                memory_kb = int(line.split()[1])
    system = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.exists():
        found = re.search(r'^PRETTY_NAME="?([^"\n]+)', os_release.read_text(), re.M)
        system = found.group(1) if found else system
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "os": system,
        "python": platform.python_version(),
    }


def write_json(folder: Path, scale: str, figures: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scale}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def load_all(folder: Path) -> dict[str, dict]:
    """Return the figures of every scale that has a JSON file in ``folder``."""
    found = {}
    for scale in SCALES:
        path = folder / f"{scale}.json"
        if path.exists():
            found[scale] = json.loads(path.read_text(encoding="utf-8"))
    return found


def ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def verdict(row: dict) -> str:
    """Say in a few words which targets a scenario meets, and by how much it misses."""
    if "app" not in row:
        return row.get("error", "not measured")
    misses = []
    p95, target = row["app"]["p95_ms"], row["target_p95_ms"]
    if p95 > target:
        misses.append(f"p95 {p95 / target:.1f}× target")
    if row["ratio"] > 3:
        misses.append(f"ratio {row['ratio'] / 3:.1f}× limit")
    if row["queries"] > 10:
        misses.append(f"{row['queries']} queries")
    sizes = row.get("queries_page_size_5_200")
    if sizes and sizes[1] > sizes[0]:
        misses.append(f"queries grow with page ({sizes[0]}→{sizes[1]})")
    if row["errors"]:
        misses.append(f"{row['errors']} errors")
    return "yes" if not misses else "no: " + ", ".join(misses)


def scenario_table(figures: dict) -> list[str]:
    lines = [
        "| scenario | median ms | p95 ms | p99 ms | queries | baseline median ms | ratio "
        "| p95 target ms | targets met? |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in figures["scenarios"]:
        if "app" not in row:
            lines.append(f"| {row['label']} | – | – | – | – | – | – | – | {verdict(row)} |")
            continue
        app, base = row["app"], row["baseline"]
        # A request that failed stopped at its failing query: its count is a floor.
        queries = f"{row['queries']}+ (failed)" if row["errors"] else str(row["queries"])
        lines.append(
            f"| {row['label']} | {ms(app['median_ms'])} | {ms(app['p95_ms'])} "
            f"| {ms(app['p99_ms'])} | {queries} | {ms(base['median_ms'])} "
            f"| {row['ratio']:.1f}× | {row['target_p95_ms']:.0f} | {verdict(row)} |"
        )
    return lines


def markdown(all_figures: dict[str, dict]) -> str:
    """Return the generated part of docs/benchmarks.md."""
    scales = [s for s in REPORTED_SCALES if s in all_figures] or list(all_figures)
    if not scales:
        return f"{START}\n_No results yet: run `make bench SCALE=small`._\n{END}"
    lines = [START, "", "## Results", ""]
    first = all_figures[scales[-1]]
    info = first["machine"]
    lines += [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, "
        f"{info['os']}; Python {info['python']}, {first.get('postgres', '')}.",
        "",
        "| scale | run on | exact command | build time | rows | pairings | activities |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for scale in scales:
        figures = all_figures[scale]
        build = figures.get("build") or {}
        rows = build.get("rows", {})
        seconds = build.get("seconds")
        lines.append(
            f"| {scale} | {figures['started'][:16].replace('T', ' ')} UTC "
            f"| `{figures['command']}` "
            f"| {f'{seconds / 60:.1f} min' if seconds else '–'} "
            f"| {build.get('rows_total', 0):,} "
            f"| {rows.get('programmes.Pairing', 0):,} | {rows.get('activities.Activity', 0):,} |"
        )
    for scale in scales:
        figures = all_figures[scale]
        lines += ["", f"### {scale.capitalize()}", ""]
        lines += scenario_table(figures)
        notes = [f"- {row['label']}: {row['note']}" for row in figures["scenarios"] if row["note"]]
        if notes:
            lines += ["", *notes]
        walk = figures.get("cursor_walk")
        if walk:
            lines += [
                "",
                f"Full cursor walk over the published pairings ({walk['page_size']} a page): "
                f"{walk['rows']:,} rows in {walk['pages']:,} pages, {walk['seconds']:,.1f} s "
                f"({walk['rows_per_second']:,} rows/s; page median "
                f"{ms(walk['page']['median_ms'])} ms, p95 {ms(walk['page']['p95_ms'])} ms)"
                f"{'' if walk['complete'] else ' — stopped early'}.",
            ]
    lines += ["", "### How cost grows with size (p95 ms; ratio to baseline)", ""]
    lines.append("| scenario | " + " | ".join(scales) + " | target |")
    lines.append("| --- |" + " ---: |" * len(scales) + " ---: |")
    for index, row in enumerate(all_figures[scales[0]]["scenarios"]):
        cells = []
        for scale in scales:
            rows = all_figures[scale]["scenarios"]
            other = rows[index] if index < len(rows) else {}
            if "app" in other:
                cells.append(f"{ms(other['app']['p95_ms'])} ({other['ratio']:.1f}×)")
            else:
                cells.append("–")
        lines.append(
            f"| {row['label']} | " + " | ".join(cells) + f" | {row['target_p95_ms']:.0f} |"
        )
    lines += [
        "",
        "### Throughput (gunicorn, 2 workers; wrk on 127.0.0.1, the mix of all scenarios)",
        "",
        "wrk counts the requests that finished within the time; one still running when the "
        "time is up (a page slower than the test) is neither a request nor an error.",
        "",
        "| scale | load | requests | requests/s | p50 ms | p99 ms | max ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scale in scales:
        load = all_figures[scale].get("load") or {}
        if "requests_per_second" not in load:
            lines.append(f"| {scale} | {load.get('skipped', 'not run')} | | | | | | |")
            continue
        lines.append(
            f"| {scale} | {load['client']} | {load['requests']:,} "
            f"| {load['requests_per_second']:,.1f} "
            f"| {ms(load['p50_ms'])} | {ms(load['p99_ms'])} | {ms(load['max_ms'])} "
            f"| {load['errors']} |"
        )
    explained = next(
        (all_figures[s] for s in reversed(scales) if all_figures[s].get("explain")), None
    )
    if explained:
        lines += [
            "",
            f"### Every API filter under EXPLAIN ANALYZE ({explained['scale']})",
            "",
            "Page: the first 50 rows in the API's order. Whole set: every matching row, "
            "what an exact count visits. Flagged: a table of 100k+ rows read in full for "
            "the page.",
            "",
            "| resource | filter | value | page ms | whole set ms | flagged |",
            "| --- | --- | --- | ---: | ---: | --- |",
        ]
        for row in explained["explain"]:
            if row.get("invalid"):
                lines.append(
                    f"| {row['resource']} | {row['filter']} | {row['value']} | invalid | | |"
                )
                continue
            flagged = ", ".join(row["seq_scans_of_big_tables"]) or ""
            value = row["value"] if len(row["value"]) <= 30 else row["value"][:27] + "…"
            lines.append(
                f"| {row['resource']} | `{row['filter']}` | {value} | {ms(row['page_ms'])} "
                f"| {ms(row['all_rows_ms'])} | {flagged} |"
            )
    lines += ["", END]
    return "\n".join(lines)


def write_markdown(path: Path, all_figures: dict[str, dict]) -> None:
    """Replace the generated block of ``path`` (or create the file around it)."""
    block = markdown(all_figures)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = (text.rstrip() + "\n\n" if text else "# Benchmarks\n\n") + block + "\n"
    path.write_text(text, encoding="utf-8")
