"""Measure each scenario in-process, and its baseline, in the same run.

The app is called through Django's test ``Client`` (URL routing, middleware, views,
serializers, templates: everything but the HTTP server), with DEBUG off. For each
scenario:

1. query counts: each variant once under ``CaptureQueriesContext`` (timed requests
   run without it, so capturing costs nothing there); lists are also counted at page
   sizes 5 and 200 to show the count does not grow with the page;
2. latency: a warm-up pass over the variants, then ``requests`` timed requests cycling
   through them (fewer if a scenario's time budget runs out), median / p95 / p99;
3. baseline: the same variants' hand-written SQL through psycopg2, rows serialized with
   orjson, timed the same way; ratio = app median / baseline median.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

import orjson
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scenarios import Scenario, Variant

TIME_BUDGET = 30.0  # seconds of timed app requests per scenario, at most
MIN_REQUESTS = 20  # ... unless a scenario is so slow that even these would take too long
FEWEST_REQUESTS = 3
WARM_UP = 3
COUNTED_VARIANTS = 3  # variants whose queries are counted (each costs a request)
WARM_UP_BUDGET = 10.0


def percentile(samples: list[float], share: float) -> float:
    """Return the ``share`` percentile (0–100) of ``samples``, interpolated."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * share / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples_s: list[float]) -> dict:
    """Return median, p95, p99, mean and max in milliseconds."""
    ms = [sample * 1000 for sample in samples_s]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(max(ms), 2),
    }


def orjson_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError


def point(city: dict) -> list[float]:
    return [float(city["longitude"]), float(city["latitude"])]


def pairing_features(rows: list[dict]) -> dict:
    """Shape pairing rows as the map's GeoJSON: a line from the hub city to each other."""
    features = []
    for row in rows:
        located = [p for p in row["participants"] or () if p["city"]["latitude"] is not None]
        if len(located) < 2:
            continue
        hub = next((p for p in located if p["role"] in ("pilot", "mentor", "chair")), located[0])
        lines = [[point(hub["city"]), point(p["city"])] for p in located if p is not hub]
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "MultiLineString", "coordinates": lines},
                "properties": {k: row[k] for k in ("id", "title", "status", "programme")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def city_features(rows: list[dict]) -> dict:
    """Shape city rows as the map's GeoJSON points."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": point(row)},
                "properties": {k: row[k] for k in ("id", "name", "slug", "country")},
            }
            for row in rows
            if row["latitude"] is not None
        ],
    }


SHAPES = {"pairing_features": pairing_features, "city_features": city_features}


def run_baseline(cursor, variant: Variant) -> bytes:
    """Fetch the variant's rows with its one SQL query and serialize them with orjson."""
    cursor.execute(variant.sql, variant.params)
    columns = [column.name for column in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    body = SHAPES[variant.shape](rows) if variant.shape else rows
    return orjson.dumps(body, default=orjson_default)


def with_page_size(url: str, size: int) -> str:
    base, _, query = url.partition("?")
    kept = [part for part in query.split("&") if part and not part.startswith("page_size=")]
    return f"{base}?{'&'.join([*kept, f'page_size={size}'])}"


def count_queries(client: Client, url: str) -> tuple[int, int, list[dict]]:
    """Return the status, the number of SQL queries and the queries of one request."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured.captured_queries]
    return response.status_code, len(captured), queries


def listed_ids(client: Client, url: str) -> list:
    """Return the ids a list answers ``url`` with (none if it fails)."""
    response = client.get(url)
    if response.status_code != 200:
        return []
    return [row.get("id") for row in response.json().get("results", [])]


def measure(
    scenario: Scenario,
    baseline_connection,
    *,
    requests: int,
    time_budget: float = TIME_BUDGET,
) -> dict:
    """Measure one scenario and its baseline; return the figures."""
    # A failing request (a query past the statement timeout) is an answer with status 500.
    client = Client(raise_request_exception=False)
    variants = scenario.variants
    result: dict = {
        "name": scenario.name,
        "label": scenario.label,
        "kind": scenario.kind,
        "target_p95_ms": scenario.target_p95_ms,
        "note": scenario.note,
        "variants": len(variants),
        "example_url": variants[0].url if variants else "",
    }
    if not variants:
        result["error"] = "no data for this scenario at this scale"
        return result

    # One request first, so that per-process caches (content types…) are not counted.
    client.get(variants[0].url)
    statuses, counts, slowest_queries = [], [], []
    for variant in variants[:COUNTED_VARIANTS]:
        status, count, queries = count_queries(client, variant.url)
        statuses.append(status)
        counts.append(count)
        if count >= max(counts):
            slowest_queries = queries
    # A search that does not list what it must find measures nothing worth knowing.
    not_listed = [
        variant.url
        for variant in variants
        if variant.must_list is not None
        and variant.must_list not in listed_ids(client, variant.url)
    ]
    if not_listed:
        result["not_listed"] = not_listed
    result["queries"] = max(counts)
    result["queries_min"] = min(counts)
    result["query_sql"] = slowest_queries
    if scenario.page_size_check:
        small = count_queries(client, with_page_size(variants[0].url, 5))[1]
        large = count_queries(client, with_page_size(variants[0].url, 200))[1]
        result["queries_page_size_5_200"] = [small, large]

    started = time.perf_counter()
    for index in range(max(WARM_UP, len(variants))):
        client.get(variants[index % len(variants)].url)
        if time.perf_counter() - started > WARM_UP_BUDGET:
            break

    samples, errors, sizes = [], 0, []
    started = time.perf_counter()
    for index in range(requests):
        url = variants[index % len(variants)].url
        before = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - before)
        sizes.append(len(response.content))
        if response.status_code != 200:
            errors += 1
            if getattr(response, "exc_info", None) and "error_example" not in result:
                result["error_example"] = repr(response.exc_info[1])[:300]
        elapsed = time.perf_counter() - started
        done = index + 1
        if elapsed > time_budget and (
            done >= MIN_REQUESTS or done >= FEWEST_REQUESTS and elapsed > time_budget * 2
        ):
            break
    result["app"] = summary(samples)
    result["errors"] = errors + sum(1 for status in statuses if status != 200) + len(not_listed)
    result["statuses"] = sorted(set(statuses))
    result["response_kb"] = round(statistics.fmean(sizes) / 1024, 1)

    baseline_samples, baseline_sizes = [], []
    with baseline_connection.cursor() as cursor:
        for variant in variants[: max(WARM_UP, len(variants))]:
            run_baseline(cursor, variant)
        started = time.perf_counter()
        for index in range(len(samples)):
            variant = variants[index % len(variants)]
            before = time.perf_counter()
            body = run_baseline(cursor, variant)
            baseline_samples.append(time.perf_counter() - before)
            baseline_sizes.append(len(body))
            # As many as the app's requests, within the same time budget.
            if time.perf_counter() - started > time_budget and index + 1 >= MIN_REQUESTS:
                break
    result["baseline"] = summary(baseline_samples)
    result["baseline_kb"] = round(statistics.fmean(baseline_sizes) / 1024, 1)
    result["ratio"] = round(result["app"]["median_ms"] / result["baseline"]["median_ms"], 2)
    result["met"] = verdict(result)
    return result


def verdict(result: dict) -> dict:
    """Say which of the issue's targets the scenario meets."""
    page_sizes = result.get("queries_page_size_5_200")
    return {
        "p95": result["app"]["p95_ms"] <= result["target_p95_ms"],
        "ratio": result["ratio"] <= 3,
        "queries": result["queries"] <= 10
        # A larger page never costs more (one that holds the whole list needs no count).
        and (page_sizes is None or page_sizes[1] <= page_sizes[0]),
        "errors": result["errors"] == 0,
    }


def cursor_walk(page_size: int = 500, limit_seconds: float = 600) -> dict:
    """Walk every published pairing through the API's cursor pages; time the whole walk."""
    client = Client(raise_request_exception=False)
    url = f"/api/v1/pairings/?pagination=cursor&page_size={page_size}"
    pages = rows = errors = 0
    page_times = []
    started = time.perf_counter()
    while url:
        before = time.perf_counter()
        response = client.get(url)
        page_times.append(time.perf_counter() - before)
        pages += 1
        if response.status_code != 200:
            errors += 1
            break
        data = response.json()
        rows += len(data["results"])
        url = data.get("next")
        if url:
            url = url.replace("http://testserver", "")
        if time.perf_counter() - started > limit_seconds:
            break
    seconds = time.perf_counter() - started
    return {
        "page_size": page_size,
        "pages": pages,
        "rows": rows,
        "complete": not url and not errors,
        "errors": errors,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "page": summary(page_times),
    }
