"""The twin-cities import: mirrored pairs merged, rejects reported, a re-run changes nothing."""

import itertools
import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from cities.choices import AlternativeNameKind
from cities.gazetteer import gazetteer
from cities.models import City
from imports.twin_cities import SOURCE, WAITING_MESSAGE, TwinCitiesImporter
from programmes.choices import PairingKind, PairingStatus
from programmes.models import Pairing, PairingParticipant, PairingStatusChange
from sources.models import Citation, Source
from tests.factories import CityFactory

REAL_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "twin_cities.csv"

HAND_MADE = """city1,country1,lat1,lng1,city2,country2,lat2,lng2
Seoul,South Korea,37.5665,126.978,Taipei,Taiwan,25.033,121.5654
Taipei,Taiwan,25.033,121.5654,Seoul,South Korea,37.5665,126.978
Bacolod,Philippines,10.67,122.95,Prato,Italy,43.88,11.10
Zakynthos,Grece,37.8,20.75,Sulmona,Italy,42.03,13.93
Nowhere,France,95.0,2.0,Paris,France,48.85,2.35
Paris,France,48.85,2.35,Paris,France,48.85,2.35
"Varna, Bulgaria",,43.2167,27.9167,Ningbo,China,29.86,121.62
Tinytown Xyz,England,51.0,-1.0,Portsmouth,"England, United Kingdom",50.8,-1.08
"""


def import_file(path, **kwargs):
    return TwinCitiesImporter(path, gazetteer_factory=lambda: gazetteer(15000), **kwargs).run()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (City, Pairing, PairingParticipant, PairingStatusChange, Citation, Source)
    }


@pytest.fixture
def hand_made(tmp_path):
    path = tmp_path / "twins.csv"
    path.write_text(HAND_MADE, encoding="utf-8")
    return path


@pytest.fixture
def bacolod(db):
    return CityFactory(name="Bacolod City", slug="bacolod", country="PH")


def test_imports_one_pairing_per_pair_with_mirrored_rows_merged(hand_made, bacolod):
    report = import_file(hand_made)

    assert report.rows_read == 8
    assert report.rows_accepted == 5
    assert report.mirrored_merged == 1
    assert report.pairs_imported == 4
    seoul_taipei = Pairing.objects.get(participants__city__name="Seoul")
    assert sorted(seoul_taipei.cities.values_list("name", flat=True)) == ["Seoul", "Taipei"]
    assert seoul_taipei.kind == PairingKind.TWINNING
    assert seoul_taipei.status == PairingStatus.ACTIVE
    assert not seoul_taipei.is_verified
    quotes = sorted(seoul_taipei.citations.values_list("quote", flat=True))
    assert quotes == [
        "Seoul,South Korea,37.5665,126.978,Taipei,Taiwan,25.033,121.5654",
        "Taipei,Taiwan,25.033,121.5654,Seoul,South Korea,37.5665,126.978",
    ]


def test_source_is_external_unverified_and_attributed(hand_made, db):
    import_file(hand_made)
    source = Source.objects.get(slug=SOURCE["slug"])
    assert not source.is_verified
    assert source.attribution.startswith("Wikipedia, via Hekman/twincities")


def test_cities_matched_to_registry_gazetteer_or_created_from_the_file(hand_made, bacolod):
    report = import_file(hand_made)

    assert report.cities_matched_existing == 1  # Bacolod City
    assert Pairing.objects.filter(participants__city=bacolod).count() == 1
    seoul = City.objects.get(name="Seoul")
    assert seoul.geonames_id == 1835848 and seoul.country == "KR"
    tiny = City.objects.get(name="Tinytown Xyz")
    assert tiny.geonames_id is None and tiny.country == "GB"
    assert float(tiny.latitude) == 51.0
    assert City.objects.get(name="Varna").country == "BG"
    assert report.cities_created_from_file == 1
    assert report.cities_created_from_gazetteer == 6  # not Paris: its rows were rejected
    assert not City.objects.filter(name="Paris").exists()


def test_rejected_rows_are_counted_with_their_reasons(hand_made, db):
    report = import_file(hand_made)

    assert report.rejected == {
        "unknown country": 1,
        "coordinates out of range": 1,
        "both sides are the same city": 1,
    }
    assert "did you mean Greece?" in report.rejected_examples["unknown country"][0]


def test_running_again_changes_nothing(hand_made, bacolod):
    import_file(hand_made)
    before = counts()

    report = import_file(hand_made)

    assert counts() == before
    assert not report.changed_anything
    assert report.pairs_already_present == 4


def test_pair_already_present_in_reverse_order_is_not_imported_twice(tmp_path, db):
    first = tmp_path / "a.csv"
    first.write_text(HAND_MADE.splitlines()[0] + "\n" + HAND_MADE.splitlines()[1] + "\n")
    second = tmp_path / "b.csv"
    second.write_text(HAND_MADE.splitlines()[0] + "\n" + HAND_MADE.splitlines()[2] + "\n")
    import_file(first)

    report = import_file(second)

    assert report.pairs_imported == 0 and report.pairs_already_present == 1
    assert Pairing.objects.count() == 1
    assert report.citations_added == 1  # the mirrored line is cited too


@pytest.mark.skipif(
    not REAL_FILE.exists() and os.environ.get("CI") != "true",
    reason="shared/data/twin_cities.csv not beside the clone (CI always has it)",
)
def test_slice_of_the_real_file_imports_and_a_rerun_changes_nothing(tmp_path, db):
    path = tmp_path / "slice.csv"
    with REAL_FILE.open(encoding="utf-8") as source:
        path.write_text("".join(itertools.islice(source, 301)), encoding="utf-8")

    first = import_file(path)
    before = counts()
    second = import_file(path)

    assert first.rows_read == 300
    assert first.pairs_imported == first.pairs_in_file > 250
    assert first.pairs_imported + first.rows_rejected + first.mirrored_merged == 300
    assert counts() == before
    assert not second.changed_anything
    assert second.pairs_already_present == first.pairs_imported


def test_command_prints_the_summary(hand_made, db, monkeypatch):
    out = StringIO()
    call_command(
        "import_twin_cities", str(hand_made), "--min-population=15000", "--no-progress", stdout=out
    )
    assert "Pairings imported (new):          4" in out.getvalue()
    assert "unknown country" in out.getvalue()


def test_two_spellings_of_one_place_become_one_city_with_an_alternative_name(tmp_path, db):
    path = tmp_path / "twins.csv"
    path.write_text(
        HAND_MADE.splitlines()[0]
        + "\nSaigon,Vietnam,10.8,106.6,Saigon,Vietnam,10.8,106.6"
        + "\nHo Chi Minh City,Vietnam,10.8,106.6,Seoul,South Korea,37.5665,126.978"
        + "\nSaigon,Vietnam,10.8,106.6,Busan,South Korea,35.1,129.0\n"
    )
    report = import_file(path)

    assert report.rejected == {"both sides are the same city": 1}
    city = City.objects.get(country="VN")
    assert city.name == "Ho Chi Minh City"
    # The file's other spelling; the gazetteer's names in other scripts come beside it.
    spellings = city.alternative_names.exclude(kind=AlternativeNameKind.LOCAL)
    assert list(spellings.values_list("name", flat=True)) == ["Saigon"]
    assert city.pairings.count() == 2
    assert not import_file(path).changed_anything


def test_kosovo_is_imported_under_its_geonames_code(tmp_path, db):
    path = tmp_path / "twins.csv"
    path.write_text(
        HAND_MADE.splitlines()[0] + "\nPrizren,Kosovo,42.21,20.74,Seoul,South Korea,37.56,126.97\n"
    )
    report = import_file(path)
    assert report.rejected == {}
    assert report.pairs_imported == 1
    assert City.objects.get(name="Prizren").country.code == "XK"


# --- Rows that cannot be read, and two runs at once ----------------------------------------


def slice_with_bad_lines(tmp_path) -> Path:
    """A file of the shared data's shape: the hand-made rows, a NUL in a city name on
    line 4 and bytes that are not UTF-8 on line 6."""
    lines = HAND_MADE.encode().splitlines()
    lines[3] = lines[3].replace(b"Bacolod", b"Baco\x00lod")
    lines.insert(5, b"Br\xe9sil,Brazil,1.0,2.0,Lyon,France,45.76,4.83")
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_unreadable_lines_are_reported_with_their_line_and_the_rest_imports(tmp_path, db):
    report = import_file(slice_with_bad_lines(tmp_path))

    assert report.rows_read == 9
    assert report.rejected["line holds a control character (U+0000)"] == 1
    assert report.rejected["line holds a byte that is not UTF-8 (U+DCE9)"] == 1
    assert report.pairs_imported == 3  # Seoul–Taipei, Varna–Ningbo, Tinytown–Portsmouth
    assert Pairing.objects.filter(participants__city__name="Seoul").exists()
    assert not City.objects.filter(name__startswith="Baco").exists()
    listed = "\n".join(report.rejected_rows)
    assert "line 4: Baco\\x00lod,Philippines" in listed
    assert "line 6: Br\\udce9sil,Brazil" in listed


def test_command_lists_every_rejected_row_and_does_not_stop(tmp_path, db):
    out = StringIO()
    call_command(
        "import_twin_cities",
        str(slice_with_bad_lines(tmp_path)),
        "--min-population=15000",
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "Pairings imported (new):          3" in text
    assert "Rejected rows (skipped; every other row was imported):" in text
    for line in (4, 5, 6, 7, 8):  # NUL, unknown country, not UTF-8, out of range, same city
        assert f"  line {line}: " in text


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_are_serialised(hand_made):
    start = threading.Barrier(2)
    reports, errors, waited = [], [], []

    def run():
        try:
            start.wait()
            reports.append(import_file(hand_made, on_wait=waited.append))
        except Exception as error:  # noqa: BLE001 -- the failure is what the test reports
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert waited == [WAITING_MESSAGE]
    assert sorted(report.pairs_imported for report in reports) == [0, 4]
    assert Pairing.objects.count() == 4
