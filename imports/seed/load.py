"""Load the seed fixtures: create what is missing, matched by natural key, and leave existing
records alone unless asked to ``update`` them (``SeedLoader``, ``load_seed()``).

The fixtures are read by ``imports.seed.read`` and checked by ``imports.seed.check`` first.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from activities.models import Activity
from cities.models import City, CityAlternativeName
from core.dates import DatePrecision, Period, parse_period
from imports.seed.check import check
from imports.seed.read import (
    FIXTURES_DIR,
    Quote,
    SeedData,
    SeedError,
    normalize_space,
    quote_line,
    read_fixtures,
    theme_rows,
)
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
from themes.models import Theme
from themes.vocabulary import load_vocabulary


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
        self.themes: dict[str, Theme] = {}

    def load(self) -> Counter:
        """Load everything; return counts of (model name, "created"/"updated"/"existing")."""
        errors = check(self.data) + self.unknown_themes()
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

    def unknown_themes(self) -> list[str]:
        """Return a problem for each theme slug of the fixtures the vocabulary lacks."""
        load_vocabulary()  # the starting vocabulary, should a database lack it
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        named = [
            (slug, row["theme"])
            for slug, s in self.data.sources.items()
            for row in theme_rows(s.get("themes") or [])
        ]
        named += [
            (str(record), row["theme"])
            for records in self.data.records.values()
            for record in records.values()
            for row in record.fields.get("themes", [])
        ]
        named += [
            (str(record), row["theme"])
            for record in self.data.records["stream"].values()
            for priority in record.fields.get("priorities", [])
            for row in theme_rows(priority.get("themes") or [])
        ]
        return [
            f"{where}: no theme “{slug}” (add it in the admin's Themes, or use one listed there)"
            for where, slug in named
            if slug not in self.themes
        ]

    def add_themes(self, obj, rows: list[dict]) -> None:
        """Give ``obj`` the fixtures' themes (added: themes an officer gave it stay)."""
        if rows:
            obj.themes.add(*(self.themes[row["theme"]] for row in rows))

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
            self.add_themes(self.sources[slug], theme_rows(entry.get("themes") or []))

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
                row = self.get_or_create(StreamPriority, lookup, {"text": priority["text"]})
                self.add_themes(row, theme_rows(priority.get("themes") or []))
            for member in f.get("members", []):
                lookup = {"stream": stream}
                if member.get("city"):
                    lookup["city"] = self.cities[member["city"]]
                else:
                    lookup["network"] = self.networks[member["network"]]
                self.get_or_create(StreamMember, lookup, {"role": member["role"]})
            self.add_themes(stream, f.get("themes"))
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
            self.add_themes(pairing, f.get("themes"))
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
            self.add_themes(activity, f.get("themes"))
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
