"""Import Wikipedia's twin towns (``shared/data/twin_cities.csv`` or any file of its shape).

Columns ``city1,country1,lat1,lng1,city2,country2,lat2,lng2``, one row per direction
as Wikipedia lists it. The import is external, unverified data with attribution:

- one ``Source`` (a dataset, unverified, "Wikipedia, via Hekman/twincities");
- one programme, "Twin towns and sister cities (Wikipedia)", run by a network of the
  same name;
- one ``Pairing`` (twinning, active, unverified) per unordered pair of cities — A→B and
  B→A are merged — with two partner participants, cited with every line that lists it;
- each side matched to a registry city (name, alternative names, country), else to the
  gazetteer (GeoNames id, coordinates, population), else created from the file's own
  name and coordinates; created cities are cited with the line that first named them.

Rows that cannot be read (a control character or bytes that are not UTF-8, unknown
country, coordinates out of range, a city paired with itself, an ambiguous name in the
registry) are rejected with their line and reason and skipped; every other row imports.
Every write is keyed by natural keys, so running the import again changes nothing, and
runs are serialised by an advisory lock (a second run waits for the first). Writes go
in bulk inside one transaction; the rules of ``pairing_create`` (two distinct cities, the
same set of cities at most once per programme) are kept in memory and by the database.
"""

from __future__ import annotations

import csv
import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from cities.countries import any_country_code, country_suggestions, resolve_country
from cities.gazetteer import Gazetteer, normalize
from cities.geo import distance_km
from cities.matching import (
    AMBIGUOUS,
    CityEntry,
    CityIndex,
    CityMatcher,
    unique_city_slug,
)
from cities.models import City, CityAlternativeName
from cities.services import city_names_add_from_gazetteer
from core.dates import DatePrecision
from core.resources import define_trigger_settings
from core.spreadsheets import unreadable_character, visible
from core.views.choices import choices_changed
from programmes.choices import (
    NetworkKind,
    PairingKind,
    PairingStatus,
    ParticipantRole,
    ProgrammeRole,
    ProgrammeStatus,
)
from programmes.models import (
    Network,
    Pairing,
    PairingParticipant,
    PairingStatusChange,
    Programme,
    ProgrammeNetwork,
)
from sources.choices import SourceKind
from sources.models import Citation, Source

COLUMNS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
BATCH_SIZE = 2000
PARTICIPANT_BATCH = 1000  # an even number: a pairing's two participants go in together
FAR_KM = 100  # file coordinates this far from the gazetteer's place are reported

SOURCE = {
    "slug": "wikipedia-twin-towns",
    "title": "Lists of twin towns and sister cities (Wikipedia, via Hekman/twincities)",
    "kind": SourceKind.DATASET,
    "publisher": "Wikipedia contributors; compiled by Hekman/twincities",
    "url": "https://github.com/Hekman/twincities",
    "attribution": "Wikipedia, via Hekman/twincities (CC BY-SA)",
    "is_verified": False,
    "notes": "Scraped from Wikipedia's six “List of twin towns and sister cities in "
    "<continent>” pages and geocoded by the Hekman/twincities project (MIT licence). "
    "External data that no programme officer has checked.",
}
NETWORK = {
    "slug": "twin-towns",
    "name": "Twin towns and sister cities",
    "kind": NetworkKind.OTHER,
    "description": "Bilateral twinning (sister-city) agreements between local "
    "governments, as listed on Wikipedia.",
}
PROGRAMME = {
    "slug": "twin-towns-wikipedia",
    "name": "Twin towns and sister cities (Wikipedia)",
    "status": ProgrammeStatus.ACTIVE,
    "description": "Twin-town and sister-city links listed on Wikipedia, imported as "
    "external, unverified data (Wikipedia, via Hekman/twincities).",
}
STATUS_NOTE = "Listed as twin towns on Wikipedia when imported."
# The key of the PostgreSQL advisory lock that lets one import run at a time ("twin").
IMPORT_LOCK = 0x7477696E
WAITING_MESSAGE = (
    "Another import_twin_cities run is importing: waiting for it to finish, then this "
    "run adds only what is still missing."
)


@dataclass
class Side:
    """One side of a row: a city name with its country and coordinates."""

    name: str
    country: str
    latitude: float
    longitude: float


@dataclass
class Resolved:
    """A side matched to a city: one of the registry's or one about to be created."""

    entry: CityEntry
    origin: str  # "existing", "gazetteer" or "file"
    first_line: tuple[int, str]
    spellings: set[str] = field(default_factory=set)


@dataclass
class PairDraft:
    first: Resolved
    second: Resolved
    lines: list[tuple[int, str]]


@dataclass
class TwinCitiesReport:
    """What an import did, with counts for every outcome."""

    rows_read: int = 0
    rows_accepted: int = 0
    pairs_in_file: int = 0
    pairs_imported: int = 0
    pairs_already_present: int = 0
    mirrored_merged: int = 0
    duplicate_lines: int = 0
    cities_matched_existing: int = 0
    cities_created_from_gazetteer: int = 0
    cities_created_from_file: int = 0
    alternative_names_added: int = 0
    names_in_other_scripts_added: int = 0
    citations_added: int = 0
    rejected: Counter = field(default_factory=Counter)
    rejected_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rejected_rows: list[str] = field(default_factory=list)  # every one, with its line
    notes: Counter = field(default_factory=Counter)
    note_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seconds: float = 0.0

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())

    @property
    def cities_created(self) -> int:
        return self.cities_created_from_gazetteer + self.cities_created_from_file

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.pairs_imported
            or self.cities_created
            or self.alternative_names_added
            or self.names_in_other_scripts_added
            or self.citations_added
        )

    def reject(self, reason: str, example: str) -> None:
        self.rejected[reason] += 1
        self.rejected_rows.append(f"{example} — {reason}")
        if len(self.rejected_examples[reason]) < 3:
            self.rejected_examples[reason].append(example)

    def note(self, reason: str, example: str) -> None:
        self.notes[reason] += 1
        if len(self.note_examples[reason]) < 3:
            self.note_examples[reason].append(example)

    def lines(self) -> list[str]:
        """Return the report as lines of text for the command's output."""
        out = [
            f"Rows read:                        {self.rows_read:,}",
            f"Rows accepted:                    {self.rows_accepted:,}",
            f"Rows rejected:                    {self.rows_rejected:,}",
            f"Distinct pairs in the file:       {self.pairs_in_file:,}",
            f"  mirrored rows merged (B→A):     {self.mirrored_merged:,}",
            f"  duplicate lines:                {self.duplicate_lines:,}",
            f"Pairings imported (new):          {self.pairs_imported:,}",
            f"Pairings already present:         {self.pairs_already_present:,}",
            f"Cities matched to existing:       {self.cities_matched_existing:,}",
            f"Cities created from gazetteer:    {self.cities_created_from_gazetteer:,}",
            f"Cities created from the file:     {self.cities_created_from_file:,}",
            f"Alternative names added:          {self.alternative_names_added:,}",
            f"Names in other scripts added:     {self.names_in_other_scripts_added:,}",
            f"Citations added:                  {self.citations_added:,}",
            f"Time:                             {self.seconds:.1f} s",
        ]
        if self.rejected:
            out.append("Rejected rows by reason:")
            for reason, count in self.rejected.most_common():
                examples = " | ".join(self.rejected_examples[reason])
                out.append(f"  {count:>6,}  {reason}  (e.g. {examples})")
        if self.rejected_rows:
            out.append("Rejected rows (skipped; every other row was imported):")
            out.extend(f"  {row}" for row in self.rejected_rows)
        if self.notes:
            out.append("Mismatches reported (rows kept):")
            for reason, count in self.notes.most_common():
                examples = " | ".join(self.note_examples[reason])
                out.append(f"  {count:>6,}  {reason}  (e.g. {examples})")
        return out


@contextmanager
def import_lock(on_wait: Callable[[str], None]):
    """Hold the twin-cities import's advisory lock; wait (saying so) while another run does.

    Two runs at once would both read the registry before either wrote, then insert the
    same cities and pairings (the second died with an IntegrityError). Serialised, the
    second reads what the first wrote and adds only what is still missing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK])
        if not cursor.fetchone()[0]:
            on_wait(WAITING_MESSAGE)
            cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])


class RowRejected(Exception):
    """A row the import cannot take, with the reason (grouped for the report)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def parse_country(text: str) -> str:
    """Return the ISO code of the file's country cell, or raise RowRejected.

    Takes "South Korea", "Georgia (country)", "England, United Kingdom" and overseas
    territories written "Martinique, France" (→ MQ, as GeoNames files them).
    """
    text = (text or "").strip()
    if not text:
        raise RowRejected("no country given")
    code = resolve_country(text)
    if code is None and "," in text:
        part, _, country = text.rpartition(",")
        code = resolve_country(part) or resolve_country(country)
    if code is None:
        unlisted = any_country_code(text) or any_country_code(text.rpartition(",")[2])
        if unlisted:
            raise RowRejected(
                "country not in the registry's list of countries", f"“{text}” ({unlisted})"
            )
        close = country_suggestions(text)
        hint = f" — did you mean {' or '.join(close)}?" if close else ""
        raise RowRejected("unknown country", f"“{text}”{hint}")
    return code


def parse_side(name: str, country: str, lat: str, lng: str) -> Side:
    name = (name or "").strip()
    if not country.strip() and "," in name:
        # "Varna, Bulgaria" with the country cell empty.
        name, _, country = name.rpartition(",")
        name = name.strip()
    if not name:
        raise RowRejected("no city name given")
    code = parse_country(country)
    try:
        latitude, longitude = float(lat), float(lng)
    except (TypeError, ValueError):
        raise RowRejected("coordinates missing or not numbers", f"{lat}, {lng}") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RowRejected("coordinates out of range", f"{latitude}, {longitude}")
    return Side(name=name[:200], country=code, latitude=latitude, longitude=longitude)


class TwinCitiesImporter:
    """Read a twin-cities file, match its cities and write its pairs (see module doc)."""

    def __init__(
        self,
        path: str | Path,
        *,
        gazetteer_factory: Callable[[], Gazetteer] | None = None,
        limit: int | None = None,
        progress: Callable | None = None,
        on_wait: Callable[[str], None] | None = None,
    ):
        self.path = Path(path)
        self.limit = limit
        self.progress = progress or (lambda iterable, **kwargs: iterable)
        self.on_wait = on_wait or (lambda message: None)
        self.gazetteer_factory = gazetteer_factory
        self.report = TwinCitiesReport()

    # --- Reading ------------------------------------------------------------------------

    def read_rows(self):
        """Yield (line number, raw line, cells) for each data row that can be read;
        reject the others with their line and reason (one bad line loses nothing else)."""
        # Bytes that are not UTF-8 become lone surrogates, rejected with their line below.
        with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
            if [h.strip() for h in header] != COLUMNS:
                raise ValueError(
                    f"{self.path} does not start with the header {','.join(COLUMNS)} "
                    f"(found {','.join(visible(h) for h in header)})."
                )
            for number, line in enumerate(handle, 2):
                if self.limit is not None and number - 1 > self.limit:
                    break
                raw = line.rstrip("\r\n")
                if not raw.strip():
                    continue
                self.report.rows_read += 1
                if problem := unreadable_character(raw):
                    self.report.reject(f"line holds {problem}", f"line {number}: {visible(raw)}")
                    continue
                try:
                    cells = next(csv.reader([raw]))
                except csv.Error as error:
                    self.report.reject("not a CSV line", f"line {number}: {error}: {raw}")
                    continue
                yield number, raw, cells

    def run(self) -> TwinCitiesReport:
        """Import the file; a run started while another is importing waits for it."""
        with import_lock(self.on_wait):
            return self.run_alone()

    def run_alone(self) -> TwinCitiesReport:
        started = time.monotonic()
        rows = list(self.read_rows())
        self.matcher = CityMatcher(
            index=CityIndex.from_database(), gazetteer_factory=self.gazetteer_factory
        )
        self.matcher.gazetteer  # noqa: B018 -- build it before the progress bar starts
        self.resolved: dict[tuple[str, str], Resolved | RowRejected] = {}
        self.new_entries: dict[int, Resolved] = {}  # cities to create, by id() of their entry
        pairs: dict[frozenset, PairDraft] = {}
        for number, raw, cells in self.progress(rows, desc="Matching", unit="row"):
            try:
                first, second = self.resolve_row(number, raw, cells)
            except RowRejected as rejection:
                detail = f"line {number}: {rejection.detail or raw}"
                self.report.reject(rejection.reason, detail)
                continue
            self.report.rows_accepted += 1
            key = frozenset((id(first.entry), id(second.entry)))
            draft = pairs.get(key)
            if draft is None:
                pairs[key] = PairDraft(first, second, [(number, raw)])
            elif any(raw == line for _, line in draft.lines):
                self.report.duplicate_lines += 1
            else:
                self.report.mirrored_merged += 1
                draft.lines.append((number, raw))
        self.report.pairs_in_file = len(pairs)
        with pghistory.context(import_file=self.path.name), transaction.atomic():
            define_trigger_settings()
            self.write(pairs)
        self.report.seconds = time.monotonic() - started
        return self.report

    def resolve_row(self, number: int, raw: str, cells: list[str]) -> tuple[Resolved, Resolved]:
        if len(cells) != len(COLUMNS):
            raise RowRejected(f"not {len(COLUMNS)} columns", raw)
        sides = [parse_side(*cells[0:4]), parse_side(*cells[4:8])]
        first, second = (self.resolve_side(side, number, raw) for side in sides)
        if first.entry is second.entry:
            raise RowRejected("both sides are the same city", raw)
        return first, second

    def resolve_side(self, side: Side, number: int, raw: str) -> Resolved:
        key = (normalize(side.name), side.country)
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = self.match(side, number, raw)
        if isinstance(found, RowRejected):
            raise found
        found.spellings.add(side.name)
        return found

    def match(self, side: Side, number: int, raw: str) -> Resolved | RowRejected:
        match = self.matcher.match(
            side.name,
            side.country,
            latitude=side.latitude,
            longitude=side.longitude,
            suggest=False,
        )
        line = (number, raw)
        if match.city is not None:
            origin = "existing" if match.city.id is not None else "pending"
            return Resolved(match.city, origin, line)
        if match.status == AMBIGUOUS and isinstance(match.candidates[0], CityEntry):
            return RowRejected(
                "ambiguous name in the registry",
                f"“{side.name}” ({side.country}): {', '.join(c.slug for c in match.candidates)}",
            )
        if match.place is not None:
            place = match.place
            if distance_km(side.latitude, side.longitude, place.latitude, place.longitude) > FAR_KM:
                self.report.note(
                    f"file's coordinates over {FAR_KM} km from the gazetteer's place "
                    "(gazetteer's kept)",
                    f"line {number}: {side.name} ({side.country}) at {side.latitude}, "
                    f"{side.longitude}",
                )
            entry = CityEntry(
                id=None,
                name=place.name,
                slug="",
                country=place.country,
                population=place.population or None,
                latitude=round(place.latitude, 6),
                longitude=round(place.longitude, 6),
                geonames_id=place.geonames_id,
            )
            origin = "gazetteer"
        else:
            if match.status == AMBIGUOUS:
                self.report.note(
                    "several gazetteer places of that name, none near the file's "
                    "coordinates: created from the file",
                    f"line {number}: {side.name} ({side.country})",
                )
            entry = CityEntry(
                id=None,
                name=side.name,
                slug="",
                country=side.country,
                latitude=round(side.latitude, 6),
                longitude=round(side.longitude, 6),
            )
            origin = "file"
        self.matcher.index.add(entry)
        resolved = self.new_entries[id(entry)] = Resolved(entry, origin, line)
        return resolved

    # --- Writing ------------------------------------------------------------------------

    def write(self, pairs: dict[frozenset, PairDraft]) -> None:
        source, programme = self.provenance()
        self.create_cities(source, pairs)
        existing = {
            resolved.entry.id
            for resolved in self.resolved.values()
            if isinstance(resolved, Resolved) and resolved.origin == "existing"
        }
        used = {
            r.entry.id
            for d in pairs.values()
            for r in (d.first, d.second)
            if r.entry.id in existing
        }
        self.report.cities_matched_existing = len(used)
        self.create_pairings(pairs, programme, source)
        # bulk_create sends no signal: the map's kept data and the filter panels' option
        # lists must be read again (core.views.choices).
        choices_changed()

    def provenance(self) -> tuple[Source, Programme]:
        source, _ = Source.objects.get_or_create(
            slug=SOURCE["slug"], defaults={k: v for k, v in SOURCE.items() if k != "slug"}
        )
        network, _ = Network.objects.get_or_create(
            slug=NETWORK["slug"], defaults={k: v for k, v in NETWORK.items() if k != "slug"}
        )
        programme, _ = Programme.objects.get_or_create(
            slug=PROGRAMME["slug"], defaults={k: v for k, v in PROGRAMME.items() if k != "slug"}
        )
        ProgrammeNetwork.objects.get_or_create(
            programme=programme, network=network, role=ProgrammeRole.LEAD
        )
        return source, programme

    def create_cities(self, source: Source, pairs: dict[frozenset, PairDraft]) -> None:
        """Create the cities of accepted pairs that the registry lacks, cited to the file."""
        pending = {}
        for draft in pairs.values():
            for resolved in (draft.first, draft.second):
                if id(resolved.entry) in self.new_entries:
                    pending.setdefault(id(resolved.entry), self.new_entries[id(resolved.entry)])
        taken = set(City.objects.values_list("slug", flat=True))

        def is_taken(slug: str) -> bool:
            return slug in taken

        cities = []
        for resolved in pending.values():
            entry = resolved.entry
            entry.slug = unique_city_slug(entry.name, entry.country, is_taken)
            taken.add(entry.slug)
            cities.append(
                City(
                    name=entry.name,
                    slug=entry.slug,
                    country=entry.country,
                    population=entry.population,
                    latitude=entry.latitude,
                    longitude=entry.longitude,
                    geonames_id=entry.geonames_id,
                )
            )
        for start in self.progress(range(0, len(cities), BATCH_SIZE), desc="Cities", unit="batch"):
            City.objects.bulk_create(cities[start : start + BATCH_SIZE])
        for resolved, city in zip(pending.values(), cities, strict=True):
            resolved.entry.id = city.pk
            if resolved.origin == "gazetteer":
                self.report.cities_created_from_gazetteer += 1
            else:
                self.report.cities_created_from_file += 1

        # The file's spellings of cities it created, so the next run finds them by name.
        spellings = defaultdict(set)
        for resolved in self.resolved.values():
            if isinstance(resolved, Resolved):
                spellings[id(resolved.entry)] |= resolved.spellings
        alternative_names = []
        for key, resolved in pending.items():
            known = {normalize(resolved.entry.name)}
            for spelling in sorted(spellings[key]):
                if normalize(spelling) not in known:
                    known.add(normalize(spelling))
                    alternative_names.append(
                        CityAlternativeName(city_id=resolved.entry.id, name=spelling)
                    )
        CityAlternativeName.objects.bulk_create(alternative_names, batch_size=BATCH_SIZE)
        self.report.alternative_names_added = len(alternative_names)
        # Their names in Thai, Chinese, Korean... from the gazetteer, as add_city_names adds
        # them to the cities already there: "高雄" finds an imported Kaohsiung too.
        self.report.names_in_other_scripts_added = city_names_add_from_gazetteer(cities=cities)

        city_type = ContentType.objects.get_for_model(City)
        self.add_citations(
            source,
            city_type,
            [(r.entry.id, r.first_line) for r in pending.values()],
        )

    def create_pairings(self, pairs: dict[frozenset, PairDraft], programme, source) -> None:
        present = defaultdict(set)
        for pairing_id, city_id in PairingParticipant.objects.filter(
            pairing__programme=programme, pairing__stream__isnull=True
        ).values_list("pairing_id", "city_id"):
            present[pairing_id].add(city_id)
        by_cities = {frozenset(ids): pairing_id for pairing_id, ids in present.items()}

        new_drafts, citations = [], []
        for draft in pairs.values():
            city_ids = frozenset((draft.first.entry.id, draft.second.entry.id))
            pairing_id = by_cities.get(city_ids)
            if pairing_id is None:
                new_drafts.append(draft)
            else:
                self.report.pairs_already_present += 1
                citations.extend((pairing_id, line) for line in draft.lines)

        pairings = [
            Pairing(
                programme=programme,
                title=f"{draft.first.entry.name} – {draft.second.entry.name}"[:300],
                kind=PairingKind.TWINNING,
                status=PairingStatus.ACTIVE,
                date_precision=DatePrecision.YEAR,
                is_published=True,
                is_verified=False,
            )
            for draft in new_drafts
        ]
        for start in self.progress(
            range(0, len(pairings), BATCH_SIZE), desc="Pairings", unit="batch"
        ):
            Pairing.objects.bulk_create(pairings[start : start + BATCH_SIZE])
        today = datetime.date.today()
        participants, steps = [], []
        for draft, pairing in zip(new_drafts, pairings, strict=True):
            for resolved in (draft.first, draft.second):
                participants.append(
                    PairingParticipant(
                        pairing=pairing, city_id=resolved.entry.id, role=ParticipantRole.PARTNER
                    )
                )
            steps.append(
                PairingStatusChange(
                    pairing=pairing,
                    status=PairingStatus.ACTIVE,
                    changed_on=today,
                    date_precision=DatePrecision.DAY,
                    note=STATUS_NOTE,
                )
            )
            citations.extend((pairing.pk, line) for line in draft.lines)
        with connection.cursor() as cursor:
            # Check each batch as it goes in: PostgreSQL re-reads its whole queue of
            # deferred trigger events after every statement a row trigger runs, so a
            # queue of 50,000 participants makes each later insert crawl.
            cursor.execute("ANALYZE programmes_pairing")
            cursor.execute("SET CONSTRAINTS pairing_unique_city_set IMMEDIATE")
        for start in self.progress(
            range(0, len(participants), PARTICIPANT_BATCH), desc="Participants", unit="batch"
        ):
            PairingParticipant.objects.bulk_create(participants[start : start + PARTICIPANT_BATCH])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS pairing_unique_city_set DEFERRED")
        PairingStatusChange.objects.bulk_create(steps, batch_size=BATCH_SIZE)
        self.report.pairs_imported = len(pairings)
        self.add_citations(source, ContentType.objects.get_for_model(Pairing), citations)

    def add_citations(self, source, content_type, records) -> None:
        """Cite each (object id, (line number, line)) unless the same quote is there."""
        present = set(
            Citation.objects.filter(source=source, content_type=content_type).values_list(
                "object_id", "quote"
            )
        )
        new = []
        for object_id, (number, raw) in records:
            if (object_id, raw) in present:
                continue
            present.add((object_id, raw))
            new.append(
                Citation(
                    source=source,
                    content_type=content_type,
                    object_id=object_id,
                    quote=raw[:2000],
                    locator=f"{self.path.name} line {number}",
                )
            )
        Citation.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.report.citations_added += len(new)
