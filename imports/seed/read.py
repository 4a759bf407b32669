"""Read the seed fixtures: parse and merge the YAML files, their dates and quotes.

``fixtures/cities.yaml`` holds the cities with their gazetteer data. Each
``fixtures/0NN_*.yaml`` holds what one source document (``fixtures/seeds/``) states: the
source itself, the cities it names, networks, memberships, programmes, thematic streams,
pairings and activities, every one with the verbatim quotes that support it
(``cite``). A record named in several files is merged: its fields are given once, its
quotes add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

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
LIST_FIELDS = {
    "alternative_names",
    "networks",
    "priorities",
    "members",
    "participants",
    "history",
    "themes",
}


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


def theme_rows(themes: list) -> list[dict]:
    """Return a record's ``themes`` (slugs, or {theme, cite} where the record's own quotes do
    not state the theme) as rows with a ``theme``."""
    return [{"theme": theme} if isinstance(theme, str) else theme for theme in themes]


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
        if entry.get("themes"):
            children["themes"] = self.rows(theme_rows(entry["themes"]))
        fields = {k: v for k, v in entry.items() if k not in ("slug", "key", "cite", "quotes")}
        fields.update(children)
        quotes = entry.get("quotes") or parse_quotes(entry.get("cite"), self.source)
        quotes = quotes + [q for rows in children.values() for row in rows for q in row["quotes"]]
        self.data.add(kind, key, fields, quotes, self.origin)


def read_fixtures(directory: Path = FIXTURES_DIR) -> SeedData:
    """Return the fixtures of ``directory``, parsed and merged."""
    return FixtureReader(directory).read()
