"""``python -m bench.partner_holdout``: how often partner suggestions find a real partner.

On a registry with the seed and the imported twin towns (``citypairing_bench_map``, built
by ``python -m bench.map_draw``), it picks 50 cities with at least two partners (the
seed's programmes first, then twin towns; seeded, so every run picks the same), and for
each hides one real pairing (deleted inside a transaction that is rolled back), asks
``suggest_partners`` for that city on the pairing's stream (or its programme, for a
programme without streams) and counts whether the hidden partner is among the top 10.
The random baseline ranks the same candidates in random order. Writes
``docs/benchmarks/partners-holdout.json``; ``docs/partners.md`` quotes it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from bench import database

ROOT = Path(__file__).resolve().parent.parent
TOP = 10
SEED = 17
TWINS = "twin-towns-wikipedia"  # the imported programme (imports/twin_cities.py)


class Rollback(Exception):
    """Raised to roll the hidden pairing back."""


def paired_cities(limit: int, rng: random.Random) -> list[tuple[int, int]]:
    """Return ``(city id, pairing id to hide)`` for ``limit`` cities with two partners or
    more: the seed's programmes' first, then the twin towns'."""
    from django.db.models import Count, Q

    from programmes.choices import PairingStatus
    from programmes.models import PairingParticipant

    live = PairingParticipant.objects.exclude(pairing__status=PairingStatus.CANCELLED)
    busy = (
        live.values("city_id")
        .annotate(
            pairings=Count("pairing", distinct=True),
            twinnings=Count("pairing", distinct=True, filter=Q(pairing__programme__slug=TWINS)),
        )
        .filter(pairings__gte=2)
        .order_by("city_id")
    )
    seed = [row["city_id"] for row in busy if row["pairings"] > row["twinnings"]]
    twins = [row["city_id"] for row in busy if row["pairings"] == row["twinnings"]]
    rng.shuffle(seed)
    rng.shuffle(twins)
    chosen = (seed + [city for city in twins if city not in seed])[:limit]
    picks = []
    for city_id in chosen:
        pairings = sorted(set(live.filter(city_id=city_id).values_list("pairing_id", flat=True)))
        picks.append((city_id, rng.choice(pairings)))
    return picks


def check_one(city_id: int, pairing_id: int, rng: random.Random) -> dict:
    """Hide the pairing, ask for suggestions, undo; return what was found."""
    from django.db import transaction

    from cities.models import City
    from partners.ranking import current_partners, suggest_partners
    from programmes.models import Pairing

    city = City.objects.get(pk=city_id)
    pairing = Pairing.objects.select_related("programme", "stream").get(pk=pairing_id)
    hidden = sorted(pairing.participants.exclude(city=city).values_list("city_id", flat=True))
    hidden_id = rng.choice(hidden)
    result = {"city": city.name, "programme": pairing.programme.name}
    try:
        with transaction.atomic():
            pairing.delete()
            theme = {"city": city, "stream": pairing.stream, "programme": pairing.programme}
            started = time.monotonic()
            ranked = suggest_partners(**theme, limit=TOP)
            result["seconds"] = round(time.monotonic() - started, 2)
            partners = {p.city.pk for p in current_partners(**theme)}
            pool = City.objects.exclude(pk__in=partners | {city.pk}).count()
            result["hit"] = hidden_id in [s.city.pk for s in ranked]
            if result["hit"]:
                rank = [s.city.pk for s in ranked].index(hidden_id) + 1
                result["rank"] = rank
                result["reasons"] = ranked[rank - 1].explanation
            result["random_hit_probability"] = min(1.0, TOP / pool) if pool else 0
            raise Rollback
    except Rollback:
        pass
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.partner_holdout", description=__doc__)
    parser.add_argument("--name", default="map", help="database citypairing_bench_<name>")
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument(
        "--output", type=Path, default=ROOT / "docs" / "benchmarks" / "partners-holdout.json"
    )
    arguments = parser.parse_args(argv)
    database.configure(arguments.name)
    import django

    django.setup()
    rng = random.Random(SEED)
    results = [
        check_one(city, pairing, rng) for city, pairing in paired_cities(arguments.cities, rng)
    ]
    hits = sum(result["hit"] for result in results)
    expected_random = sum(result["random_hit_probability"] for result in results)
    baseline_rng = random.Random(SEED)
    simulated = sum(baseline_rng.random() < result["random_hit_probability"] for result in results)
    report = {
        "cities": len(results),
        "top": TOP,
        "hits": hits,
        "hit_rate": round(hits / len(results), 3) if results else 0,
        "random_expected_hits": round(expected_random, 2),
        "random_simulated_hits": simulated,
        "median_seconds": sorted(r["seconds"] for r in results)[len(results) // 2]
        if results
        else 0,
        "results": results,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"Hidden partner in the top {TOP}: {hits} of {len(results)} cities; random ranking: "
        f"{expected_random:.2f} expected ({simulated} in one draw)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
