"""The seed fixtures themselves: consistent, checked, documented (no database needed)."""

import io
import os
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from imports.seed.check import check
from imports.seed.read import FIXTURES_DIR, SEEDS_DIR, read_fixtures

# The shared documents beside the clone, where the other commands find ../shared too.
SHARED_SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "seed-data.md"


def cities() -> list[dict]:
    return yaml.safe_load((FIXTURES_DIR / "cities.yaml").read_text(encoding="utf-8"))["cities"]


def test_fixtures_are_consistent():
    assert check(read_fixtures()) == []


def test_check_catches_a_misquote(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("seeds", "tools"))
    path = directory / "000_urban_act_workshop.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Study visits (May 2026)", "Study visits (June 2026)"))
    errors = check(read_fixtures(directory))
    assert len(errors) == 1
    assert "“Study visits (June 2026)” is not in 000_36ba59472e02dc02.txt" in errors[0]
    with pytest.raises(CommandError, match=r"Study visits \(June 2026\)"):
        call_command("load_seed", "--fixtures", str(directory), stdout=io.StringIO())


def test_check_catches_a_reference_to_nothing(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("seeds", "tools"))
    path = directory / "004_kaohsiung_iclei_comp.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("organisers: [iclei]", "organisers: [icle]"))
    assert any("no network “icle”" in error for error in check(read_fixtures(directory)))


@pytest.mark.skipif(
    not SHARED_SEEDS.is_dir() and os.environ.get("CI") != "true",
    reason="shared/seeds not beside the clone (CI always has it)",
)
def test_seed_copies_are_the_shared_documents():
    shared = sorted(path.name for path in SHARED_SEEDS.glob("*.txt"))
    assert shared == sorted(path.name for path in SEEDS_DIR.glob("*.txt"))
    assert shared, f"no seed documents in {SHARED_SEEDS}"
    for name in shared:
        assert (SEEDS_DIR / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


def test_unmatched_cities_are_documented_with_their_reason():
    docs = DOCS.read_text(encoding="utf-8")
    unmatched = [c for c in cities() if c["gazetteer"]["status"] != "matched"]
    assert len(unmatched) == 17
    for city in unmatched:
        row = f"| {city['name']} | {city['country']} | {city['gazetteer']['status']} |"
        assert row in docs, row


def test_gazetteer_data_only_for_matched_cities():
    for city in cities():
        matched = city["gazetteer"]["status"] == "matched"
        assert ("geonames_id" in city) == matched, city["slug"]
        assert ("latitude" in city) == ("longitude" in city) == matched, city["slug"]
