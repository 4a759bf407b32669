"""The misspelt-name recall measurement (docs/search.md), at a small size, in its own
database: the command runs, and city search finds what it misspells."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bench import search_recall

ROOT = Path(__file__).resolve().parents[2]

# Below the figures of docs/search.md: a sample of 2,000 cities has fewer look-alikes than
# the full gazetteer, so recall here is higher than there.
LEAST_RECALL_AT_1 = 0.9
LEAST_RECALL_AT_10 = 0.97


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    output = tmp_path_factory.mktemp("recall") / "recall.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.search_recall",
            "--cities",
            "2000",
            "--sample",
            "60",
            "--json",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    data = json.loads(output.read_text())
    data["markdown"] = completed.stdout
    return data


def test_every_kind_of_misspelling_is_measured(figures):
    kinds = figures["kinds"]
    assert set(kinds) == {*search_recall.KINDS, "all"}
    for kind in search_recall.KINDS:
        assert kinds[kind]["n"] >= 50, kind
    assert "| all | " in figures["markdown"]


def test_generated_misspellings_find_their_city(figures):
    everything = figures["kinds"]["all"]
    assert everything["recall_at_1"] >= LEAST_RECALL_AT_1, figures["missed"]
    assert everything["recall_at_10"] >= LEAST_RECALL_AT_10, figures["missed"]
    for kind, row in figures["kinds"].items():
        assert row["recall_at_10"] >= LEAST_RECALL_AT_10 - 0.05, (kind, figures["missed"])


@pytest.mark.parametrize(
    ("kind", "changed"),
    [
        ("deletion", lambda name, slip: len(slip) == len(name) - 1),
        ("insertion", lambda name, slip: len(slip) == len(name) + 1),
        ("substitution", lambda name, slip: len(slip) == len(name) and slip != name),
        ("transposition", lambda name, slip: sorted(slip) == sorted(name) and slip != name),
        (
            "space or hyphen",
            lambda name, slip: slip.replace(" ", "").replace("-", "") == "ChiangMai",
        ),
        ("transliteration", lambda name, slip: slip.lower() != name.lower()),
    ],
)
def test_each_kind_makes_its_own_slip(kind, changed):
    rng = random.Random(1)
    for _ in range(50):
        slip = search_recall.KINDS[kind]("Chiang Mai", rng)
        assert changed("Chiang Mai", slip), slip
