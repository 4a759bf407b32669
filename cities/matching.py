"""Match a city name and country to the registry's cities, then to the gazetteer.

The importers (file imports and the twin-cities dataset) call this, so a name is read the
same way everywhere: accents, case and punctuation are ignored, alternative names count,
words such as "City" or "District" may be missing. A name that fits several cities is
*ambiguous* and the candidates are listed; a name that fits none is *unmatched*, with
"did you mean …" suggestions. Nothing is guessed silently: when one candidate is taken
among several (it lies next to the given coordinates, or it is ten times larger), the
match says so in ``reason``.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.text import slugify

from cities.countries import resolve_country
from cities.gazetteer import (
    Gazetteer,
    Place,
    gazetteer,
    normalize,
    strip_generic,
)
from cities.geo import distance_km

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"

DOMINANCE = 10  # a namesake this many times larger than the next one is taken as meant
NEARBY_KM = 30  # a candidate this close to the given coordinates is taken as meant


def default_gazetteer() -> Gazetteer:
    """Return the gazetteer the importers use (tests replace it with a smaller one)."""
    return gazetteer()


@dataclass(eq=False)
class CityEntry:
    """A registry city as the matcher sees it (``id`` is None until a new one is saved)."""

    id: int | None
    name: str
    slug: str
    country: str
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    admin_area: str = ""

    def label(self) -> str:
        """Return "Prato (prato, Tuscany, 195,000 inhabitants)" for messages."""
        details = [self.slug]
        if self.admin_area:
            details.append(self.admin_area)
        if self.population:
            details.append(f"{self.population:,} inhabitants")
        return f"“{self.name}” ({self.country}; {', '.join(details)})"


def place_label(place: Place) -> str:
    """Return a gazetteer place as a message shows it, with its GeoNames id."""
    return (
        f"“{place.name}” ({place.country}; GeoNames {place.geonames_id}, "
        f"{place.population:,} inhabitants, {place.latitude:.2f}, {place.longitude:.2f})"
    )


@dataclass
class CityMatch:
    """The outcome of matching one name: matched, ambiguous or unmatched, and why."""

    query: str
    country: str | None
    status: str
    city: CityEntry | None = None
    place: Place | None = None
    candidates: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.status == MATCHED

    @property
    def in_registry(self) -> bool:
        return self.city is not None

    def message(self) -> str:
        """Return the outcome as a sentence for a person fixing the file."""
        where = f" ({self.country})" if self.country else ""
        if self.status == AMBIGUOUS:
            listed = "; ".join(
                c.label() if isinstance(c, CityEntry) else place_label(c) for c in self.candidates
            )
            return f"ambiguous city “{self.query}”{where}: {self.reason}: {listed}"
        if self.status == UNMATCHED:
            text = f"unknown city “{self.query}”{where}"
            if self.suggestions:
                named = ", ".join(
                    f"“{s.name}” ({s.slug})" if isinstance(s, CityEntry) else f"“{s.name}”"
                    for s in self.suggestions
                )
                text += f" — did you mean {named}?"
            if self.reason:
                text += f" ({self.reason})"
            return text
        found = self.city or self.place
        return f"“{self.query}”{where} is “{found.name}” ({found.country}): {self.reason}"


def pick(
    candidates: list,
    *,
    latitude: float | None,
    longitude: float | None,
    how: str,
) -> tuple[object | None, str]:
    """Choose one of several candidates when the choice is clear, and say why.

    The candidate next to the given coordinates wins; otherwise one ten times larger
    than all others. Returns (None, reason) when the choice is not clear.
    """
    if len(candidates) == 1:
        return candidates[0], f"only city by {how}"
    if latitude is not None and longitude is not None:
        located = [
            (distance_km(latitude, longitude, c.latitude, c.longitude), c)
            for c in candidates
            if c.latitude is not None and c.longitude is not None
        ]
        near = sorted((d, i, c) for i, (d, c) in enumerate(located) if d <= NEARBY_KM)
        if near:
            distance, _, chosen = near[0]
            return chosen, (
                f"the one of {len(candidates)} by {how} {distance:.0f} km from the given "
                "coordinates"
            )
    by_size = sorted(candidates, key=lambda c: -(c.population or 0))
    first, second = by_size[0], by_size[1]
    if first.population and first.population >= DOMINANCE * max(second.population or 0, 1):
        return first, (
            f"largest of {len(candidates)} by {how} ({first.population:,} inhabitants "
            f"against {second.population or 0:,})"
        )
    return None, f"{len(candidates)} cities by {how} of similar size: choose one"


class CityIndex:
    """The registry's cities by normalised name, alternative name, slug and GeoNames id."""

    def __init__(self):
        self.by_slug: dict[str, CityEntry] = {}
        self.by_geonames: dict[int, CityEntry] = {}
        self.by_name: dict[str, list[CityEntry]] = defaultdict(list)
        self.by_alt: dict[str, list[CityEntry]] = defaultdict(list)
        self.by_loose: dict[str, list[CityEntry]] = defaultdict(list)

    @classmethod
    def from_database(cls) -> CityIndex:
        """Load every city and alternative name (two queries)."""
        from cities.models import City, CityAlternativeName

        index = cls()
        entries = {}
        rows = City.objects.values_list(
            "id",
            "name",
            "slug",
            "country",
            "population",
            "latitude",
            "longitude",
            "geonames_id",
            "admin_area",
        )
        for pk, name, slug, country, population, lat, lng, geonames_id, admin_area in rows:
            entries[pk] = CityEntry(
                id=pk,
                name=name,
                slug=slug,
                country=str(country),
                population=population,
                latitude=float(lat) if lat is not None else None,
                longitude=float(lng) if lng is not None else None,
                geonames_id=geonames_id,
                admin_area=admin_area,
            )
            index.add(entries[pk])
        for city_id, alt in CityAlternativeName.objects.values_list("city_id", "name"):
            index.add_alternative_name(entries[city_id], alt)
        return index

    def add(self, entry: CityEntry) -> None:
        """Index a city (a registry record, or one about to be created)."""
        self.by_slug[entry.slug] = entry
        if entry.geonames_id:
            self.by_geonames[entry.geonames_id] = entry
        key = normalize(entry.name)
        self.by_name[key].append(entry)
        self.by_loose[strip_generic(key)].append(entry)

    def add_alternative_name(self, entry: CityEntry, name: str) -> None:
        key = normalize(name)
        if entry not in self.by_alt[key]:
            self.by_alt[key].append(entry)

    def candidates(self, name: str, country: str | None) -> tuple[list[CityEntry], str]:
        """Return the cities ``name`` can mean and how they were found."""
        key = normalize(name)
        for index, how in ((self.by_name, "name"), (self.by_alt, "alternative name")):
            found = [c for c in index.get(key, ()) if not country or c.country == country]
            if found:
                return found, how
        loose = strip_generic(key)
        seen = {}
        for c in [*self.by_loose.get(loose, ()), *self.by_alt.get(loose, ())]:
            if not country or c.country == country:
                seen[id(c)] = c
        return list(seen.values()), "name without words such as city or district"

    def suggestions(self, name: str, country: str | None, limit: int = 3) -> list[CityEntry]:
        """Return registry cities with names close to ``name``."""
        names: dict[str, CityEntry] = {}
        for key, entries in self.by_name.items():
            for entry in entries:
                if not country or entry.country == country:
                    names.setdefault(key, entry)
        close = difflib.get_close_matches(normalize(name), list(names), n=limit, cutoff=0.75)
        return [names[n] for n in close]


class CityMatcher:
    """Match names to the registry first, then to the gazetteer.

    Build one per import: it loads the registry once and caches nothing else, so a
    matcher sees the cities that existed when it was built (plus those ``add``-ed).
    """

    def __init__(
        self,
        *,
        index: CityIndex | None = None,
        gazetteer_factory: Callable[[], Gazetteer] | None = None,
    ):
        self._index = index
        self._gazetteer_factory = gazetteer_factory or default_gazetteer
        self._gazetteer: Gazetteer | None = None
        self._loose_names: dict[str | None, dict[str, Place]] = {}

    @property
    def index(self) -> CityIndex:
        if self._index is None:
            self._index = CityIndex.from_database()
        return self._index

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = self._gazetteer_factory()
        return self._gazetteer

    def match(
        self,
        name: str,
        country: str | None = None,
        *,
        latitude: float | None = None,
        longitude: float | None = None,
        registry_only: bool = False,
        suggest: bool = True,
    ) -> CityMatch:
        """Match a name (in an ISO country, if given) to a registry city or a gazetteer place.

        With ``registry_only`` a place found only in the gazetteer is reported as
        unmatched (the caller needs a city that exists), with the place as suggestion.
        ``suggest=False`` skips the (slow) search for close names of an unmatched one.
        """
        name = (name or "").strip()
        found, how = self.index.candidates(name, country)
        if found:
            chosen, reason = pick(found, latitude=latitude, longitude=longitude, how=how)
            if chosen is None:
                return CityMatch(name, country, AMBIGUOUS, candidates=found, reason=reason)
            return CityMatch(name, country, MATCHED, city=chosen, candidates=found, reason=reason)

        places, how = self.gazetteer.candidates(name, country)
        if places:
            chosen, reason = pick(places, latitude=latitude, longitude=longitude, how=how)
            if chosen is None:
                return CityMatch(name, country, AMBIGUOUS, candidates=places, reason=reason)
            known = self.index.by_geonames.get(chosen.geonames_id)
            if known is not None:
                return CityMatch(
                    name,
                    country,
                    MATCHED,
                    city=known,
                    place=chosen,
                    reason=f"same GeoNames place ({reason})",
                )
            if registry_only:
                return CityMatch(
                    name,
                    country,
                    UNMATCHED,
                    place=chosen,
                    suggestions=[chosen],
                    reason="the gazetteer knows it but the registry does not yet: "
                    "import it in a cities file first",
                )
            return CityMatch(name, country, MATCHED, place=chosen, candidates=places, reason=reason)

        if not suggest:
            return CityMatch(name, country, UNMATCHED)
        suggestions: list = self.index.suggestions(name, country)
        if not suggestions:
            suggestions = self.gazetteer_suggestions(name, country)
        return CityMatch(name, country, UNMATCHED, suggestions=suggestions)

    def gazetteer_suggestions(self, name: str, country: str | None, limit: int = 3) -> list:
        """Return gazetteer places whose names, less words such as "City", are close."""
        if country not in self._loose_names:
            names: dict[str, Place] = {}
            for key, ids in self.gazetteer.by_loose.items():
                places = [self.gazetteer.places[i] for i in ids]
                places = [p for p in places if not country or p.country == country]
                if places:
                    names[key] = max(places, key=lambda p: p.population)
            self._loose_names[country] = names
        names = self._loose_names[country]
        key = strip_generic(normalize(name))
        close = difflib.get_close_matches(key, list(names), n=limit, cutoff=0.8)
        return [names[n] for n in close]

    def resolve(self, text: str) -> CityMatch:
        """Find the registry city a file means by "slug", "name|country", "Name (CC)" or
        "name" (``parse_reference``)."""
        reference = parse_reference(text)
        entry = self.index.by_slug.get(reference.text)
        if entry is not None:
            return CityMatch(reference.text, entry.country, MATCHED, city=entry, reason="slug")
        if reference.unknown_country:
            return CityMatch(
                reference.name,
                None,
                UNMATCHED,
                reason=f"unknown country “{reference.unknown_country}”",
            )
        return self.match(reference.name, reference.country, registry_only=True)


# "Iloilo City (PH)", "Tbilisi (Georgia)"; "Frankfurt (Oder)" is a name: no country.
NAME_WITH_COUNTRY = re.compile(r"^(?P<name>.+?)\s*\((?P<country>[^()]+)\)$")


@dataclass(frozen=True)
class CityReference:
    """A city as a person or a file names it: the whole text, its name and its country."""

    text: str
    name: str
    country: str | None = None
    unknown_country: str = ""  # a country given after "|" that names no country


def parse_reference(text: str) -> CityReference:
    """Read "name|country", "Name (CC)", "Name (Country)" or a name (or slug) alone.

    How the forms, the file imports and the API read a city a person typed, and how a
    city is written back (``str(city)`` is "Name (CC)"). A country in brackets that is
    none ("Frankfurt (Oder)") leaves the whole text the name; one after "|" must be one.
    """
    text = " ".join((text or "").split())
    name, bar, country_text = text.partition("|")
    if bar:
        name, country_text = name.strip(), country_text.strip()
        if not country_text:
            return CityReference(text, name)
        country = resolve_country(country_text)
        if country is None:
            return CityReference(text, name, unknown_country=country_text)
        return CityReference(text, name, country)
    bracketed = NAME_WITH_COUNTRY.match(text)
    if bracketed and (country := resolve_country(bracketed["country"])):
        return CityReference(text, bracketed["name"], country)
    return CityReference(text, text)


def unique_city_slug(name: str, country: str, taken: Callable[[str], bool]) -> str:
    """Return a free slug: "bacolod", else "bacolod-ph", else "bacolod-ph-2" …"""
    base = slugify(name)[:200] or "city"
    for candidate in (base, f"{base}-{country.lower()}"):
        if not taken(candidate):
            return candidate
    number = 2
    while taken(f"{base}-{country.lower()}-{number}"):
        number += 1
    return f"{base}-{country.lower()}-{number}"


def entries_for(cities: Iterable) -> list[CityEntry]:
    """Return CityEntry views of City instances (for tests and small indexes)."""
    return [
        CityEntry(
            id=c.pk,
            name=c.name,
            slug=c.slug,
            country=str(c.country),
            population=c.population,
            latitude=float(c.latitude) if c.latitude is not None else None,
            longitude=float(c.longitude) if c.longitude is not None else None,
            geonames_id=c.geonames_id,
            admin_area=c.admin_area,
        )
        for c in cities
    ]
