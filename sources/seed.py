"""The registry's seed data: reviewed fixtures extracted from the source documents.

``fixtures/cities.yaml`` holds the cities with their gazetteer data. Each
``fixtures/0NN_*.yaml`` holds what one source document (``fixtures/seeds/``) states: the
source itself, the cities it names, networks, memberships, programmes, thematic streams,
pairings and activities, every one with the verbatim quotes that support it
(``cite``). A record named in several files is merged: its fields are given once, its
quotes add up.

``read_fixtures()`` parses and merges the files, ``check()`` lists what is wrong with
them (a quote that is not in its document, a reference to nothing, a record without a
quote) and ``SeedLoader`` writes them: it creates what is missing, matched by natural
key, and leaves existing records alone unless asked to ``update`` them.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from activities.models import Activity
from cities.models import City, CityAlternativeName
from core.dates import DatePrecision
from programmes.models import (
    Membership,
    Network,
    Pairing,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    StreamPriority,
    ThematicStream,
)
from programmes.services import (
    ParticipantSpec,
    pairing_create,
    pairing_find_duplicate,
    pairing_set_participants,
    pairing_set_status,
)
from sources.models import Citation, Source

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEEDS_DIR = FIXTURES_DIR / "seeds"
CITIES_FILE = "cities.yaml"
DOCUMENT_FILES = "[0-9]*.yaml"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedError(Exception):
    """The fixtures are inconsistent; ``errors`` lists each problem in words."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class Period:
    """A date or period as a source gives it: first day, last day and precision."""

    start: datetime.date
    end: datetime.date
    precision: str


def parse_point(value) -> Period:
    """Parse "2026", "2026-03" or "2026-03-18" into the period it names."""
    text = str(value).strip()
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        (year,) = parts
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), DatePrecision.YEAR)
    if len(parts) == 2:
        year, month = parts
        last = calendar.monthrange(year, month)[1]
        return Period(
            datetime.date(year, month, 1), datetime.date(year, month, last), DatePrecision.MONTH
        )
    year, month, day = parts
    date = datetime.date(year, month, day)
    return Period(date, date, DatePrecision.DAY)


def parse_period(value) -> Period | None:
    """Parse a date ("2026-05") or a range of two ("2026-03/2026-04") of equal precision."""
    if value in (None, ""):
        return None
    first, _, last = str(value).partition("/")
    start = parse_point(first)
    if not last:
        return start
    end = parse_point(last)
    if end.precision != start.precision:
        raise ValueError(f"“{value}”: give both ends of a period to the same precision")
    return Period(start.start, end.end, start.precision)


# --------------------------------------------------------------------------- quotes


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space: quotes ignore line breaks."""
    return " ".join(text.split())


@cache
def seed_text(seed_file: str) -> str:
    """Return the text of a seed document in fixtures/seeds."""
    return (SEEDS_DIR / seed_file).read_text(encoding="utf-8")


def quote_line(seed_file: str, quote: str) -> int | None:
    """Return the line where ``quote`` starts in the document, or None if it is not there."""
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    found = re.search(pattern, seed_text(seed_file))
    if found is None:
        return None
    return seed_text(seed_file).count("\n", 0, found.start()) + 1


@dataclass(frozen=True)
class Quote:
    """A verbatim passage of a source document that supports a record."""

    source: str
    text: str
    locator: str = ""


def parse_quotes(value, source: str | None) -> list[Quote]:
    """Parse a ``cite``: a quote, a {source, quote, locator} mapping, or a list of those."""
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [quote for item in value for quote in parse_quotes(item, source)]
    if isinstance(value, dict):
        if "quote" not in value:
            raise ValueError(
                f"cite {value!r} has no quote (a quote with “: ” in it needs quotation marks)"
            )
        return [Quote(value.get("source", source), value["quote"], value.get("locator", ""))]
    return [Quote(source, str(value))]


# --------------------------------------------------------------------------- fixtures


@dataclass
class Record:
    """One record of the fixtures, merged from every entry that names it."""

    kind: str
    key: object
    fields: dict = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)

    def __str__(self):
        return f"{self.kind} {self.key!r} ({', '.join(self.origins)})"


RECORD_KINDS = (
    "city",
    "network",
    "membership",
    "programme",
    "stream",
    "pairing",
    "activity",
)
LIST_FIELDS = {"alternative_names", "networks", "priorities", "members", "participants", "history"}


@dataclass
class SeedData:
    """The parsed fixtures: sources by slug, and records by kind and natural key."""

    sources: dict[str, dict] = field(default_factory=dict)
    records: dict[str, dict[object, Record]] = field(
        default_factory=lambda: {kind: {} for kind in RECORD_KINDS}
    )
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, key, fields: dict, quotes: list[Quote], origin: str) -> Record:
        """Add an entry, merging it into the record of the same key if there is one."""
        record = self.records[kind].setdefault(key, Record(kind, key))
        record.origins.append(origin)
        for name, value in fields.items():
            if value is None or value == "" or value == []:
                continue
            if name in LIST_FIELDS:
                record.fields.setdefault(name, []).extend(value)
            elif record.fields.get(name) not in (None, "", value):
                self.errors.append(
                    f"{record}: {name} is “{record.fields[name]}” in one place and "
                    f"“{value}” in another"
                )
            else:
                record.fields[name] = value
        for quote in quotes:
            if quote not in record.quotes:
                record.quotes.append(quote)
        return record


def members_of(entry: dict, singular: str, plural: str) -> list[str]:
    """Return the slugs an entry names with ``city: x`` or ``cities: [x, y]``."""
    return ([entry[singular]] if entry.get(singular) else []) + list(entry.get(plural) or [])


def expand(entries: list[dict], source: str | None) -> list[dict]:
    """Expand entries that name several cities or networks into one entry per member.

    Each result has ``city`` or ``network``, the entry's other fields, and ``quotes``.
    """
    expanded = []
    for entry in entries or []:
        quotes = parse_quotes(entry.get("cite"), source)
        rest = {
            k: v
            for k, v in entry.items()
            if k not in ("city", "cities", "network", "networks", "cite")
        }
        for slug in members_of(entry, "city", "cities"):
            expanded.append({**rest, "city": slug, "quotes": quotes})
        for slug in members_of(entry, "network", "networks"):
            expanded.append({**rest, "network": slug, "quotes": quotes})
    return expanded


class FixtureReader:
    """Read the fixture files of a directory into a ``SeedData``."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.data = SeedData()
        self.origin = ""  # the file being read
        self.source: str | None = None  # its source's slug: the default source of quotes

    def read(self) -> SeedData:
        self.read_cities(self.directory / CITIES_FILE)
        for path in sorted(self.directory.glob(DOCUMENT_FILES)):
            try:
                self.read_document(path)
            except (KeyError, ValueError, TypeError) as error:
                self.data.errors.append(f"{path.name}: {error!r}")
        return self.data

    def read_cities(self, path: Path) -> None:
        for city in yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)["cities"]:
            fields = {k: v for k, v in city.items() if k not in ("slug", "gazetteer")}
            self.data.add("city", city["slug"], fields, [], path.name)

    def read_document(self, path: Path) -> None:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        self.origin = path.name
        self.source = (content.get("source") or {}).get("slug")
        if self.source:
            self.data.sources[self.source] = content["source"]
        for entry in content.get("cities") or []:
            for city in members_of(entry, "city", "cities"):
                names = self.rows(entry.get("alternative_names"), default_quote="name")
                fields = {k: v for k, v in entry.items() if k not in ("city", "cities")}
                self.add("city", city, fields, alternative_names=names)
        for entry in content.get("networks") or []:
            self.add("network", entry["slug"], entry)
        for entry in expand(content.get("memberships"), self.source):
            member = ("city", entry["city"]) if "city" in entry else ("network", entry["network"])
            fields = {k: v for k, v in entry.items() if k not in ("of", member[0])}
            self.add("membership", (entry["of"], *member), fields)
        for entry in content.get("programmes") or []:
            roles = expand(entry.get("networks"), self.source)
            self.add("programme", entry["slug"], entry, networks=roles)
        for entry in content.get("streams") or []:
            priorities = [
                {"text": p} if isinstance(p, str) else p for p in entry.get("priorities") or []
            ]
            members = expand(entry.get("members"), self.source)
            priorities = self.rows(priorities, default_quote="text")
            self.add("stream", entry["slug"], entry, members=members, priorities=priorities)
        for entry in content.get("pairings") or []:
            participants = expand(entry.get("participants"), self.source)
            history = self.rows(entry.get("history"))
            self.add("pairing", entry["key"], entry, participants=participants, history=history)
        for entry in content.get("activities") or []:
            self.add("activity", entry.get("key") or entry["title"], entry)

    def rows(self, entries, default_quote: str = "") -> list[dict]:
        """Give child rows their ``quotes``: their ``cite``, or their own text if none."""
        return [
            {**row, "quotes": parse_quotes(row.get("cite", row.get(default_quote)), self.source)}
            for row in entries or []
        ]

    def add(self, kind: str, key, entry: dict, **children: list[dict]) -> None:
        """Add a record from its entry; its child rows' quotes are the record's quotes too."""
        fields = {k: v for k, v in entry.items() if k not in ("slug", "key", "cite", "quotes")}
        fields.update(children)
        quotes = entry.get("quotes") or parse_quotes(entry.get("cite"), self.source)
        quotes = quotes + [q for rows in children.values() for row in rows for q in row["quotes"]]
        self.data.add(kind, key, fields, quotes, self.origin)


def read_fixtures(directory: Path = FIXTURES_DIR) -> SeedData:
    """Return the fixtures of ``directory``, parsed and merged."""
    return FixtureReader(directory).read()


# --------------------------------------------------------------------------- checks


def check(data: SeedData) -> list[str]:
    """Return every problem with the fixtures, in words (an empty list when all is well)."""
    errors = list(data.errors)
    for slug, source in data.sources.items():
        if not (SEEDS_DIR / source.get("seed_file", "")).is_file():
            errors.append(f"source {slug}: no seed file “{source.get('seed_file')}” in {SEEDS_DIR}")
    for records in data.records.values():
        for record in records.values():
            if not record.quotes:
                errors.append(f"{record}: no quote supports it (give a cite)")
            for quote in record.quotes:
                source = data.sources.get(quote.source)
                if source is None:
                    errors.append(f"{record}: unknown source “{quote.source}”")
                elif quote_line(source["seed_file"], quote.text) is None:
                    errors.append(
                        f"{record}: “{quote.text}” is not in {source['seed_file']} "
                        "(quote it exactly as the document has it)"
                    )
                elif len(quote.text) > 2000:
                    errors.append(f"{record}: a quote is longer than 2,000 characters")
    errors += check_references(data)
    primary = Counter(
        (r.quotes[0].source, r.quotes[0].text)
        for r in data.records["activity"].values()
        if r.quotes
    )
    errors += [
        f"activity: first quote “{text}” is shared by {n} activities; give each its own"
        for (_, text), n in primary.items()
        if n > 1
    ]
    return errors


def check_references(data: SeedData) -> list[str]:
    """Return references to cities, networks, programmes, streams or pairings that do not exist."""
    errors = []
    known = {kind: set(records) for kind, records in data.records.items()}

    def expect(record, kind, slug):
        if slug and slug not in known[kind]:
            errors.append(f"{record}: no {kind} “{slug}”")

    for record in data.records["network"].values():
        expect(record, "network", record.fields.get("parent"))
        expect(record, "city", record.fields.get("city"))
        if not record.fields.get("name"):
            errors.append(f"{record}: cited but never defined (give its name)")
    for record in data.records["city"].values():
        if not record.fields.get("name"):
            errors.append(f"{record}: cited but not defined in {CITIES_FILE}")
    for (network, member_kind, member), record in data.records["membership"].items():
        expect(record, "network", network)
        expect(record, member_kind, member)
    for record in data.records["programme"].values():
        for role in record.fields.get("networks", []):
            expect(record, "network", role["network"])
    for record in data.records["stream"].values():
        expect(record, "programme", record.fields.get("programme"))
        for member in record.fields.get("members", []):
            expect(record, "city", member.get("city"))
            expect(record, "network", member.get("network"))
    for record in data.records["pairing"].values():
        expect(record, "programme", record.fields.get("programme"))
        expect(record, "stream", record.fields.get("stream"))
        for participant in record.fields.get("participants", []):
            expect(record, "city", participant.get("city"))
        if not record.fields.get("history"):
            errors.append(f"{record}: give its status history (at least one step)")
    for record in data.records["activity"].values():
        for name, kind in (
            ("programme", "programme"),
            ("stream", "stream"),
            ("pairing", "pairing"),
            ("location_city", "city"),
        ):
            expect(record, kind, record.fields.get(name))
        for slug in record.fields.get("cities", []):
            expect(record, "city", slug)
        for slug in record.fields.get("organisers", []):
            expect(record, "network", slug)
    return errors


# --------------------------------------------------------------------------- loading


class SeedLoader:
    """Write the seed data to the database: create what is missing, keep what exists.

    Records are matched by natural key (slugs; a membership's network and member; a
    pairing's programme, stream and set of cities; an activity's first quote or title
    and start). Existing records are left as an officer may have edited them, unless
    ``update`` is true: then their fields are set from the fixtures again. Run it inside
    one transaction.
    """

    def __init__(self, data: SeedData, *, update: bool = False):
        self.data = data
        self.update = update
        self.report: Counter = Counter()
        self.sources: dict[str, Source] = {}
        self.cities: dict[str, City] = {}
        self.networks: dict[str, Network] = {}
        self.programmes: dict[str, Programme] = {}
        self.streams: dict[str, ThematicStream] = {}
        self.pairings: dict[str, Pairing] = {}
        self.created: set[int] = set()  # networks created by this load
        self.indexes: dict = {}  # existing rows by natural key, see index()
        self.citations: set | None = None  # (source, content type, record, quote) that exist
        self.new_citations: list[Citation] = []

    def load(self) -> Counter:
        """Load everything; return counts of (model name, "created"/"updated"/"existing")."""
        errors = check(self.data)
        if errors:
            raise SeedError(errors)
        self.load_sources()
        self.load_cities()
        self.load_networks()
        self.load_memberships()
        self.load_programmes()
        self.load_streams()
        self.load_pairings()
        self.load_activities()
        Citation.objects.bulk_create(self.new_citations)
        return self.report

    # helpers

    def count(self, model, outcome: str) -> None:
        self.report[(model._meta.verbose_name_plural.capitalize(), outcome)] += 1

    def save_new(self, obj):
        # Unique and check constraints are left to the database: one query fewer per row.
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        self.count(type(obj), "created")
        if isinstance(obj, Network):
            self.created.add(obj.pk)
        return obj

    def index(self, model, fields: tuple[str, ...]) -> dict:
        """Return the existing rows of ``model`` by the values of ``fields`` (one query)."""
        if (model, fields) not in self.indexes:
            attnames = [model._meta.get_field(name).attname for name in fields]
            self.indexes[(model, fields)] = {
                tuple(getattr(obj, name) for name in attnames): obj for obj in model.objects.all()
            }
        return self.indexes[(model, fields)]

    def get_or_create(self, model, lookup: dict, values: dict):
        """Return the record matching ``lookup``, created from ``values`` if missing.

        With ``update``, an existing record's differing fields are set from ``values``.
        """
        fields = tuple(sorted(lookup))
        index = self.index(model, fields)
        key = tuple(getattr(lookup[name], "pk", lookup[name]) for name in fields)
        obj = index.get(key)
        if obj is None:
            obj = index[key] = self.save_new(model(**lookup, **values))
        else:
            self.refresh(obj, values)
        return obj

    def refresh(self, obj, values: dict) -> None:
        """Set ``values`` on an existing record when updating; count the outcome."""
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if self.update and changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.count(type(obj), "updated")
        else:
            self.count(type(obj), "existing")

    def cite(self, obj, quotes: list[Quote]) -> None:
        """Attach each quote to ``obj`` as a citation, unless it already is."""
        if self.citations is None:
            self.citations = set(
                Citation.objects.values_list("source", "content_type", "object_id", "quote")
            )
        content_type = ContentType.objects.get_for_model(obj)
        for quote in quotes:
            source = self.sources[quote.source]
            key = (source.pk, content_type.pk, obj.pk, quote.text)
            if key in self.citations:
                self.count(Citation, "existing")
                continue
            self.citations.add(key)
            locator = quote.locator or f"line {quote_line(source.seed_file, quote.text)}"
            self.new_citations.append(
                Citation(
                    source=source,
                    content_type=content_type,
                    object_id=obj.pk,
                    quote=quote.text,
                    locator=locator,
                )
            )
            self.count(Citation, "created")

    def records(self, kind: str):
        return self.data.records[kind].values()

    # sources and cities

    def load_sources(self) -> None:
        for slug, entry in self.data.sources.items():
            published = parse_period(entry.get("published"))
            values = {
                "title": entry["title"],
                "kind": entry.get("kind", "other"),
                "publisher": entry.get("publisher", ""),
                "published_on": published.start if published else None,
                "published_precision": published.precision if published else DatePrecision.DAY,
                "url": entry.get("url", ""),
                "seed_file": entry["seed_file"],
                "attribution": entry.get("attribution", ""),
                "notes": normalize_space(entry.get("notes", "")),
            }
            self.sources[slug] = self.get_or_create(Source, {"slug": slug}, values)

    def load_cities(self) -> None:
        for record in self.records("city"):
            f = record.fields
            values = {
                "name": f["name"],
                "country": f["country"],
                "kind": f.get("kind", City._meta.get_field("kind").default),
                "admin_area": f.get("admin_area", ""),
                "population": f.get("population"),
                "latitude": decimal_or_none(f.get("latitude")),
                "longitude": decimal_or_none(f.get("longitude")),
                "geonames_id": f.get("geonames_id"),
                "description": normalize_space(f.get("description", "")),
            }
            city = self.get_or_create(City, {"slug": record.key}, values)
            self.cities[record.key] = city
            for alt in f.get("alternative_names", []):
                self.load_alternative_name(city, alt)
            self.cite(city, record.quotes)

    def load_alternative_name(self, city: City, alt: dict) -> None:
        # Alternative names are unique per city whatever their case.
        if "alternative_names" not in self.indexes:
            self.indexes["alternative_names"] = {
                (alt.city_id, alt.name.upper()): alt for alt in CityAlternativeName.objects.all()
            }
        index = self.indexes["alternative_names"]
        existing = index.get((city.pk, alt["name"].upper()))
        if existing is None:
            new = CityAlternativeName(city=city, name=alt["name"], kind=alt["kind"])
            index[(city.pk, alt["name"].upper())] = self.save_new(new)
        else:
            self.refresh(existing, {"kind": alt["kind"]})

    # networks and memberships

    def load_networks(self) -> None:
        for record in self.records("network"):
            f = record.fields
            values = {
                "name": f["name"],
                "acronym": f.get("acronym", ""),
                "kind": f["kind"],
                "city_id": self.cities[f["city"]].pk if f.get("city") else None,
                "website": f.get("website", ""),
                "description": normalize_space(f.get("description", "")),
            }
            self.networks[record.key] = self.get_or_create(Network, {"slug": record.key}, values)
        # Parents once every network exists; an existing network keeps the parent it has.
        for record in self.records("network"):
            network, parent = self.networks[record.key], record.fields.get("parent")
            wanted = self.networks[parent].pk if parent else None
            if network.parent_id != wanted and (network.pk in self.created or self.update):
                network.parent_id = wanted
                network.full_clean(validate_unique=False, validate_constraints=False)
                network.save()
            self.cite(network, record.quotes)

    def load_memberships(self) -> None:
        for record in self.records("membership"):
            network_slug, member_kind, member_slug = record.key
            f = record.fields
            joined = parse_period(f.get("joined"))
            lookup = {"network": self.networks[network_slug]}
            if member_kind == "city":
                lookup["city"] = self.cities[member_slug]
            else:
                lookup["member_network"] = self.networks[member_slug]
            values = {
                "member_type": f["member_type"],
                "regional_group": f.get("regional_group", ""),
                "joined_on": joined.start if joined else None,
                "joined_precision": joined.precision if joined else DatePrecision.YEAR,
            }
            membership = self.get_or_create(Membership, lookup, values)
            self.cite(membership, record.quotes)

    # programmes and streams

    def load_programmes(self) -> None:
        for record in self.records("programme"):
            f = record.fields
            period = parse_period(f.get("date"))
            values = {
                "name": f["name"],
                "acronym": f.get("acronym", ""),
                "description": normalize_space(f.get("description", "")),
                "status": f["status"],
                "website": f.get("website", ""),
                **period_values(period, Programme),
            }
            programme = self.get_or_create(Programme, {"slug": record.key}, values)
            self.programmes[record.key] = programme
            for role in f.get("networks", []):
                lookup = {
                    "programme": programme,
                    "network": self.networks[role["network"]],
                    "role": role["role"],
                }
                self.get_or_create(ProgrammeNetwork, lookup, {})
            self.cite(programme, record.quotes)

    def load_streams(self) -> None:
        for record in self.records("stream"):
            f = record.fields
            values = {
                "programme": self.programmes[f["programme"]],
                "name": f["name"],
                "description": normalize_space(f.get("description", "")),
                "order": f.get("order", 0),
            }
            stream = self.get_or_create(ThematicStream, {"slug": record.key}, values)
            self.streams[record.key] = stream
            for order, priority in enumerate(f.get("priorities", []), start=1):
                lookup = {"stream": stream, "order": order}
                self.get_or_create(StreamPriority, lookup, {"text": priority["text"]})
            for member in f.get("members", []):
                lookup = {"stream": stream}
                if member.get("city"):
                    lookup["city"] = self.cities[member["city"]]
                else:
                    lookup["network"] = self.networks[member["network"]]
                self.get_or_create(StreamMember, lookup, {"role": member["role"]})
            self.cite(stream, record.quotes)

    # pairings and activities

    def load_pairings(self) -> None:
        for record in self.records("pairing"):
            f = record.fields
            programme = self.programmes[f["programme"]]
            stream = self.streams[f["stream"]] if f.get("stream") else None
            specs = [
                ParticipantSpec(
                    city_id=self.cities[p["city"]].pk, role=p["role"], note=p.get("note", "")
                )
                for p in f["participants"]
            ]
            values = {
                "title": f["title"],
                "kind": f["kind"],
                "description": normalize_space(f.get("description", "")),
                **period_values(parse_period(f.get("date")), Pairing),
            }
            pairing = (
                pairing_find_duplicate(
                    programme_id=programme.pk,
                    stream_id=stream.pk if stream else None,
                    city_ids=[spec.city_id for spec in specs],
                )
                or Pairing.objects.filter(
                    programme=programme, stream=stream, title=f["title"]
                ).first()
            )
            if pairing is None:
                pairing = self.create_pairing(programme, stream, specs, values, f["history"])
            else:
                self.refresh(pairing, values)
                if self.update:
                    pairing_set_participants(pairing=pairing, participants=specs)
            self.pairings[record.key] = pairing
            self.cite(pairing, record.quotes)

    def create_pairing(self, programme, stream, specs, values, history) -> Pairing:
        """Create a pairing through the service, with its status history as the source gives it."""
        first, *later = history
        first_period = parse_period(first["date"])
        pairing = pairing_create(
            programme=programme,
            stream=stream,
            participants=specs,
            status=first["status"],
            status_date=first_period.start,
            **values,
        )
        pairing.status_changes.update(
            date_precision=first_period.precision, note=first.get("note", "")
        )
        for step in later:
            period = parse_period(step["date"])
            pairing_set_status(
                pairing=pairing,
                status=step["status"],
                changed_on=period.start,
                precision=period.precision,
                note=step.get("note", ""),
            )
        self.count(Pairing, "created")
        self.report[("Pairing status changes", "created")] += len(history)
        self.report[("Pairing participants", "created")] += len(specs)
        return pairing

    def find_activity(self, quote: Quote, title: str, start: datetime.date):
        """Return the activity cited with ``quote``, or else the one of that title and start."""
        if "activities" not in self.indexes:
            content_type = ContentType.objects.get_for_model(Activity)
            activities = Activity.objects.in_bulk()
            self.indexes["activities"] = {
                **{(a.title, a.start_date): a for a in activities.values()},
                **{
                    (source, text): activities[object_id]
                    for source, type_id, object_id, text in Citation.objects.values_list(
                        "source", "content_type", "object_id", "quote"
                    )
                    if type_id == content_type.pk and object_id in activities
                },
            }
        index = self.indexes["activities"]
        return index.get((self.sources[quote.source].pk, quote.text)) or index.get((title, start))

    def load_activities(self) -> None:
        for record in self.records("activity"):
            f = record.fields
            period = parse_period(f["date"])
            values = {
                "title": f["title"],
                "kind": f["kind"],
                "status": f["status"],
                "start_date": period.start,
                "end_date": period.end,
                "date_precision": period.precision,
                "programme": self.programmes.get(f.get("programme")),
                "stream": self.streams.get(f.get("stream")),
                "pairing": self.pairings.get(f.get("pairing")),
                "location_city": self.cities.get(f.get("location_city")),
                "location": f.get("location", ""),
                "description": normalize_space(f.get("description", "")),
                "outcomes": normalize_space(f.get("outcomes", "")),
            }
            activity = self.find_activity(record.quotes[0], f["title"], period.start)
            cities = [self.cities[slug] for slug in f.get("cities", [])]
            organisers = [self.networks[slug] for slug in f.get("organisers", [])]
            if activity is None:
                activity = self.save_new(Activity(**values))
                activity.cities.set(cities)
                activity.organisers.set(organisers)
            else:
                self.refresh(activity, values)
                if self.update:
                    activity.cities.set(cities)
                    activity.organisers.set(organisers)
            self.cite(activity, record.quotes)


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def period_values(period: Period | None, model) -> dict:
    """Return start_date, end_date and date_precision for a programme or pairing."""
    if period is None:
        default = model._meta.get_field("date_precision").default
        return {"start_date": None, "end_date": None, "date_precision": default}
    return {"start_date": period.start, "end_date": period.end, "date_precision": period.precision}


def load_seed(directory: Path = FIXTURES_DIR, *, update: bool = False) -> Counter:
    """Read, check and load the fixtures of ``directory`` in one transaction; return the counts."""
    with transaction.atomic():
        return SeedLoader(read_fixtures(directory), update=update).load()
