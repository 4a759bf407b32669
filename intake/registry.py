"""What intake knows before it reads a document: the registry's records and the gazetteer.

A ``Registry`` is a read-only snapshot (cities with their alternative names, networks,
pairings' city sets, activities' titles and dates), taken once per run so proposing never
queries per name. City names are resolved with the project's own matcher
(``cities.matching``): the registry first, then the GeoNames gazetteer, with the same
rule for choosing among namesakes (``pick``: the one ten times larger, else a choice).
Intake adds two readings of its own for names in running text: a gazetteer name may be
a place's name or one of its alternative names (Penang is George Town's), and an OCR slip
("lloilo", "Ilollo") is read through the letters OCR confuses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from cities.gazetteer import Gazetteer, Place, gazetteer, normalize
from cities.matching import AMBIGUOUS, MATCHED, CityEntry, CityIndex, pick

# Letters OCR confuses, read as one ("lloilo" and "Ilollo" are both Iloilo).
OCR_CONFUSIONS = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"))
OCR_MIN_POPULATION = 50_000  # only well-known places are worth an OCR reading
OCR_MIN_LENGTH = 5


def ocr_key(key: str) -> str:
    """Return a normalised name with the letters OCR confuses made the same."""
    for old, new in OCR_CONFUSIONS:
        key = key.replace(old, new)
    return key


@dataclass(frozen=True)
class CityRef:
    """A city a proposal names: a registry record, or a gazetteer place not yet recorded."""

    name: str
    country: str
    city_id: int | None = None
    geonames_id: int | None = None
    population: int | None = None
    admin_area: str = ""

    @property
    def key(self) -> tuple:
        """Return what makes two references the same city."""
        if self.city_id:
            return ("city", self.city_id)
        if self.geonames_id:
            return ("geonames", self.geonames_id)
        return ("name", normalize(self.name), self.country)

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


@dataclass
class Resolution:
    """What a name in the text can mean: one city (matched) or several (a choice)."""

    status: str  # MATCHED or AMBIGUOUS
    choices: list[CityRef]
    how: str

    @property
    def city(self) -> CityRef | None:
        return self.choices[0] if self.status == MATCHED else None


@dataclass(frozen=True)
class NetworkEntry:
    """A registry network as intake sees it."""

    id: int
    name: str
    acronym: str
    slug: str


@dataclass
class Registry:
    """A snapshot of the registry's records that intake reads, plus the gazetteer."""

    cities: CityIndex = field(default_factory=CityIndex)
    networks: list[NetworkEntry] = field(default_factory=list)
    pairings: dict[int, frozenset[int]] = field(default_factory=dict)  # id → city ids
    activities: list[tuple[int, str, datetime.date | None]] = field(default_factory=list)
    gazetteer_factory: object = gazetteer

    @classmethod
    def from_database(cls) -> Registry:
        """Read the registry (a handful of queries, whatever the document)."""
        from activities.models import Activity
        from programmes.models import Network, PairingParticipant

        pairings: dict[int, set[int]] = defaultdict(set)
        for pairing_id, city_id in PairingParticipant.objects.values_list("pairing_id", "city_id"):
            pairings[pairing_id].add(city_id)
        return cls(
            cities=CityIndex.from_database(),
            networks=[
                NetworkEntry(pk, name, acronym or "", slug)
                for pk, name, acronym, slug in Network.objects.values_list(
                    "id", "name", "acronym", "slug"
                )
            ],
            pairings={pk: frozenset(ids) for pk, ids in pairings.items()},
            activities=list(Activity.objects.values_list("id", "title", "start_date")),
        )

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return self.gazetteer_factory()

    # ------------------------------------------------------------------ names

    @cached_property
    def city_names(self) -> frozenset[str]:
        """Return every normalised name a city mention may have (registry and gazetteer)."""
        names = set(self.cities.by_name) | set(self.cities.by_alt) | set(self.cities.by_loose)
        return frozenset(names | gazetteer_names(self.gazetteer))

    @cached_property
    def ocr_names(self) -> dict[str, set[str]]:
        """Return OCR key → the well-known names it may be a slip of."""
        index: dict[str, set[str]] = defaultdict(set)
        for key in [*self.cities.by_name, *self.cities.by_alt]:
            if len(key) >= OCR_MIN_LENGTH:
                index[ocr_key(key)].add(key)
        for ocr, keys in gazetteer_ocr_names(self.gazetteer).items():
            index[ocr] |= keys
        return index

    def knows(self, key: str) -> bool:
        """Return True if a normalised name is a city's or place's name."""
        return key in self.city_names

    def ocr_reading(self, key: str) -> str | None:
        """Return the one well-known name ``key`` is an OCR slip of, or None."""
        if len(key) < OCR_MIN_LENGTH or key in self.city_names:
            return None
        readings = self.ocr_names.get(ocr_key(key), set())
        return next(iter(readings)) if len(readings) == 1 else None

    # ------------------------------------------------------------------ resolution

    def resolve(self, name: str, country: str | None = None) -> Resolution | None:
        """Return the cities ``name`` (in ``country``, if known) can mean, or None."""
        found, how = self.cities.candidates(name, country)
        if found:
            chosen, reason = pick(found, latitude=None, longitude=None, how=how)
            if chosen is not None:
                return Resolution(MATCHED, [registry_ref(chosen)], f"registry: {reason}")
            return Resolution(AMBIGUOUS, [registry_ref(c) for c in found], f"registry: {reason}")
        places, how = self.gazetteer.candidates(name, country, alternative_names_alike=True)
        if not places:
            return None
        chosen, reason = pick(places, latitude=None, longitude=None, how=how)
        if chosen is not None:
            return Resolution(MATCHED, [self.place_ref(chosen)], f"gazetteer: {reason}")
        return Resolution(AMBIGUOUS, [self.place_ref(p) for p in places], f"gazetteer: {reason}")

    def place_ref(self, place: Place) -> CityRef:
        """Return a gazetteer place as a reference (the registry city if it has it)."""
        known = self.cities.by_geonames.get(place.geonames_id)
        if known is not None:
            return registry_ref(known)
        return CityRef(
            name=place.name,
            country=place.country,
            geonames_id=place.geonames_id,
            population=place.population,
        )

    # ------------------------------------------------------------------ networks

    @cached_property
    def network_names(self) -> dict[str, NetworkEntry]:
        """Return normalised name or acronym → network."""
        index = {}
        for network in self.networks:
            for name in (network.name, network.acronym):
                if name and len(normalize(name)) >= 2:
                    index.setdefault(normalize(name), network)
        return index

    def network(self, name: str) -> NetworkEntry | None:
        return self.network_names.get(normalize(name))

    def pairing_with(self, city_ids: frozenset[int]) -> int | None:
        """Return the id of a pairing of exactly these cities, if there is one."""
        for pk, ids in self.pairings.items():
            if ids == city_ids:
                return pk
        return None

    def activity_like(self, title: str, start: datetime.date | None) -> int | None:
        """Return the id of an activity with the same title and start date."""
        key = normalize(title)
        for pk, other, other_start in self.activities:
            if normalize(other) == key and other_start == start:
                return pk
        return None


def registry_ref(entry: CityEntry) -> CityRef:
    return CityRef(
        name=entry.name,
        country=entry.country,
        city_id=entry.id,
        geonames_id=entry.geonames_id,
        population=entry.population,
        admin_area=entry.admin_area,
    )


@cache
def _gazetteer_names(gazetteer_id: int, gazetteer_: Gazetteer) -> frozenset[str]:
    return frozenset(gazetteer_.by_name) | frozenset(gazetteer_.by_alt)


def gazetteer_names(gazetteer_: Gazetteer) -> frozenset[str]:
    """Return every normalised name and alternative name of the gazetteer (cached)."""
    return _gazetteer_names(id(gazetteer_), gazetteer_)


@cache
def _gazetteer_ocr_names(gazetteer_id: int, gazetteer_: Gazetteer) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for key, ids in gazetteer_.by_name.items():
        if len(key) >= OCR_MIN_LENGTH and any(
            gazetteer_.places[i].population >= OCR_MIN_POPULATION for i in ids
        ):
            index[ocr_key(key)].add(key)
    return {ocr: frozenset(keys) for ocr, keys in index.items()}


def gazetteer_ocr_names(gazetteer_: Gazetteer) -> dict[str, frozenset[str]]:
    """Return OCR key → well-known gazetteer names (cached per gazetteer)."""
    return _gazetteer_ocr_names(id(gazetteer_), gazetteer_)
