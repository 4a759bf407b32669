"""Find the cities a text names, with the evidence for each reading.

Candidates are runs of capitalised words whose normalised form is a registry city's name
or alternative name, or a gazetteer place's (longest first: "Nakhon Si Thammarat" before
"Nakhon"), plus OCR slips of well-known names ("lloilo"). Each mention is then weighed by
small evidence functions — how large the place is, how it was named, what surrounds it
("City of …", "… Metropolitan Government", "(Malaysia)", "visited …", a list of other
cities), and what speaks against it (a date, a country, a person's name, an organisation
such as "Seoul Institute of Technology") — and kept when the evidence is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from cities.countries import resolve_country
from cities.gazetteer import ALTERNATIVE_ONLY, normalize
from cities.matching import AMBIGUOUS
from intake.registry import CityRef, Registry, Resolution

MAX_NAME_WORDS = 5
ACCEPT_SCORE = 3.0
MIN_ALTERNATIVE_NAME = 5  # shorter alternative names are codes and abbreviations ("THE")

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
JOINER = re.compile(r"^(?:[ \t]+|[ \t]*[-‐][ \t]*|\.[ \t]*|\.?[ \t]*\n[ \t]*)$")

# Words after a name that make it a local government: "Suwon Special City".
GOVERNMENT_SUFFIX = re.compile(
    r"^[ \t]*(?:[-‐][ \t]*)?(?:Metropolitan (?:City|Government|Area)|Special (?:City|Self-Governing"
    r" City)|Capital City Government|City Government|City Council|City Hall|City Corporation|"
    r"Municipal (?:Council|Corporation|Government)|Metropolitan|Municipality|Regency|"
    r"City|District|Town|County)\b"
)
GOVERNMENT_PREFIX = re.compile(
    r"\b(?:City|Municipality|Province|Prefecture|Mayor|Governor|Government|Council|Town|"
    r"County|District|people|citizens|residents)\s+of\s+(?:the\s+)?$"
)
PLACE_PREPOSITION = re.compile(
    r"\b(?:in|from|to|at|visited|visit|visiting|towards|near|between|with|and|host(?:ed)? by)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
COUNTRY_AFTER = re.compile(r"^[ \t]*[(,][ \t]*([A-Z][A-Za-z .'’-]{1,40}?)[ \t]*(?=[),.;|\n]|$)")
LIST_SEPARATORS = re.compile(r"[·•|,;]|\\cdot")


def words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


# A capitalised word after a name that makes the phrase an organisation or a thing.
ORGANISATION_WORDS = words(
    """institute university foundation center centre metro night innovation technopark tech
    park digital global human smart development research school office project programme
    program agency commission secretariat association network initiative coalition alliance
    forum summit conference workshop declaration accords convention protocol award awards
    chapter team campaign bank fund group company hub lab agenda framework design expo
    college academy society federation league authority ministry department club museum
    airport station port harbour harbor university's times post daily news herald"""
)
# Capitalised words that are places somewhere but almost never meant as cities in text.
NOT_CITIES = words(
    """asia pacific europe africa america oceania antarctica arctic east west north south
    southeast southwest northeast northwest central middle global international national
    mission union university president chair energy progress opportunity independence
    liberty victory unity harmony friendship paradise eden hope justice enterprise commerce
    industry march may june july august january february april september october november
    december monday tuesday wednesday thursday friday saturday sunday day line page cover
    story contact editor publisher contributors highlights introduction foreword table
    contents partner partners city cities council government member members members'
    network services report annual monthly urban green smart plus arts climate net zero hub
    action agenda framework expo fair career park lake garden hall school design lab
    mayor governor director secretary deputy chief senior junior officer consultant
    ambassador minister manager advisor team leader head general executive vice auditor
    session seminar forum summit conference workshop meeting training visit study"""
)
PLACE_WORDS = words("City Government Municipality Council District Province Regency Town County")
NOT_A_CITY_AFTER = re.compile(r"^[ \t]+(?:Province|Island|Islands|State|Region|Prefecture)\b")
FUNCTION_WORDS = words(
    """a an the as at by for from in into of on onto to we us our you your he she it its they
    them their this that these those all any each every no not nor one two three some more
    most much many new old part key start low high best good great just only also then than
    so such very yes who whom whose which what when where why how here there"""
)
PERSON_TITLES = (
    r"Mr|Ms|Mrs|Dr|Prof|Professor|Mayor|Vice Mayor|Councillor|Councilor|Governor|Minister|"
    r"Ambassador|Director|Secretary|Chairman|Chairperson|Sir|Madam|Hon|Honorable|Honourable"
)
PERSON_ROLES = (
    r"Director|Head|CEO|Chief|Executive|Mayor|Vice|Councillor|Councilor|Secretary|Deputy|"
    r"Senior|Junior|Minister|President|Chair|Chairman|Professor|Manager|Officer|Advisor|"
    r"Adviser|Ambassador|Team Leader|Under-Secretary|Planning|Municipal|Project|Division|"
    r"Founder|Co-founder|Coordinator|Specialist|Expert|Researcher|Consultant|Lecturer|Editor"
)
NAME = r"[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|de|da|di|van|von|bin|binti)){1,3}"
PERSON_PATTERNS = [
    re.compile(rf"\b(?:{PERSON_TITLES})\.?[ \t]+(?!of\b)(?P<name>{NAME})"),
    re.compile(rf"(?P<name>{NAME}),[ \t]+(?:the[ \t]+)?(?:{PERSON_ROLES})\b"),
    re.compile(rf"\b(?:{PERSON_ROLES})[\w \t-]{{0,40}},[ \t]+(?P<name>{NAME})(?=[ \t]*[(|,\n])"),
    re.compile(
        rf"\b(?:explained|said|says|noted|added|stated|according to|by)[ \t]+(?P<name>{NAME})"
        rf"(?=,)"
    ),
]


@dataclass
class CityMention:
    """One place in the text where a city is named, with what it can mean and the evidence."""

    start: int
    end: int  # the name with any "City"/"Municipality" words after it
    surface: str
    resolution: Resolution
    score: float
    evidence: list[str] = field(default_factory=list)
    country_hint: str | None = None
    in_list: bool = False

    @property
    def ambiguous(self) -> bool:
        return self.resolution.status == AMBIGUOUS

    @property
    def key(self) -> tuple:
        """Return what makes two mentions name the same city (or the same choice)."""
        if self.resolution.city is not None:
            return self.resolution.city.key
        return ("choice", *sorted(ref.key for ref in self.resolution.choices))

    @property
    def city(self) -> CityRef | None:
        return self.resolution.city


def person_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of people's names ("Naoki Mori, Director …", "Mayor Oh").

    A surname once seen with a title or role is a person's wherever else it stands alone
    ("Neves showcased …").
    """
    spans, surnames = [], set()
    for pattern in PERSON_PATTERNS:
        for match in pattern.finditer(text):
            if match.group("name").split()[-1] in PLACE_WORDS:
                continue  # "Kaohsiung City, the Chair of …" is a city
            spans.append(match.span("name"))
            surnames.add(match.group("name").split()[-1])
    for surname in surnames:
        if len(surname) > 2:
            for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
                spans.append(match.span())
    return spans


def country_name(key: str) -> str | None:
    """Return the ISO code if a normalised phrase is a country's name, else None."""
    if not key or len(key) < 4 and key not in ("uk", "usa"):
        return None
    return resolve_country(key)


class CityFinder:
    """Find and weigh the city mentions of one text."""

    def __init__(self, registry: Registry, text: str, masked: list[tuple[int, int]]):
        self.registry = registry
        self.text = text
        self.masked = sorted(masked + person_spans(text))
        self._resolutions: dict[tuple, Resolution | None] = {}

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Return the words the text uses in lower case: common words, not names."""
        return frozenset(w for w in TOKEN.findall(self.text) if w.islower())

    def is_common_word(self, surface: str) -> bool:
        """Return True for one word the text also writes in lower case, or a function word."""
        if " " in surface or "-" in surface or not surface[:1].isupper():
            return False  # an OCR slip such as "lloilo" is lower case and still a name
        lower = surface.casefold()
        return lower in FUNCTION_WORDS or lower in self.lowercase_words

    def is_masked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.masked)

    def find(self) -> list[CityMention]:
        """Return every mention whose evidence reaches the bar, in text order."""
        tokens = list(TOKEN.finditer(self.text))
        mentions: list[CityMention] = []
        index = 0
        while index < len(tokens):
            mention, used = self._longest_at(tokens, index)
            if mention is None:
                index += 1
                continue
            mentions.append(mention)
            index += used
        self._weigh_lists(mentions)
        return mentions

    def _longest_at(self, tokens, index: int) -> tuple[CityMention | None, int]:
        first = tokens[index]
        word = first.group()
        if not (word[0].isupper() or word.startswith("ll")):
            return None, 0
        for size in range(min(MAX_NAME_WORDS, len(tokens) - index), 0, -1):
            span = tokens[index : index + size]
            if any(
                not JOINER.match(self.text[a.end() : b.start()])
                for a, b in zip(span, span[1:], strict=False)
            ):
                continue
            start, end = span[0].start(), span[-1].end()
            surface = self.text[start:end]
            if size > 1 and country_name(normalize(surface)):
                return None, size  # "Republic of Korea", "Hong Kong": a country, not cities
            mention = self._mention(start, end, surface)
            if mention is not None:
                return mention, size
        return None, 0

    def _mention(self, start: int, end: int, surface: str) -> CityMention | None:
        key = normalize(surface)
        if not key or self.is_masked(start, end) or NOT_A_CITY_AFTER.match(self.text, end):
            return None  # "Phuket Province", "Panay Island": not a city
        how_named = "name"
        if not self.registry.knows(key):
            reading = self.registry.ocr_reading(key) if " " not in key else None
            if reading is None:
                return None
            key, how_named = reading, "OCR reading"
        if key in NOT_CITIES or country_name(key) or self.is_common_word(surface):
            return None
        mixed_case = " " not in surface and not surface.isupper()
        if (
            mixed_case
            and any(c.isupper() for c in surface[1:])
            and not self.registry.cities.candidates(surface, None)[0]
        ):
            return None  # "NbS", "GeSI", "ComP": acronyms, not places
        if (
            surface.isupper()
            and len(surface) > 1
            and not self.registry.cities.candidates(surface, None)[0]
        ):
            return None  # headings and acronyms in capitals: "SEOUL NIGHT", "SI", "AMC"
        country = self.country_after(end)
        resolution = self.resolve(key, country)
        if resolution is None and country:
            resolution, country = self.resolve(key, None), None
        if resolution is None:
            return None
        if (
            resolution.how.endswith(ALTERNATIVE_ONLY)
            and len(key) < MIN_ALTERNATIVE_NAME
            and not (country or GOVERNMENT_SUFFIX.match(self.text, end))
        ):
            return None
        mention = CityMention(start, end, surface, resolution, 0.0, country_hint=country)
        self.weigh(mention, how_named)
        return mention

    def resolve(self, key: str, country: str | None) -> Resolution | None:
        cache_key = (key, country)
        if cache_key not in self._resolutions:
            self._resolutions[cache_key] = self.registry.resolve(key, country)
        return self._resolutions[cache_key]

    def country_after(self, end: int) -> str | None:
        """Return the country named right after a name: "Penang (Malaysia)", "Suwon, Korea"."""
        suffix = GOVERNMENT_SUFFIX.match(self.text, end)
        after = COUNTRY_AFTER.match(self.text[suffix.end() if suffix else end :][:60])
        if after is None:
            return None
        return country_name(normalize(after.group(1)))

    # ------------------------------------------------------------------ evidence

    def weigh(self, mention: CityMention, how_named: str) -> None:
        """Score one mention from small pieces of evidence, each noted in words."""
        for evidence in (
            self._known,
            self._size,
            self._naming,
            self._government_words,
            self._country,
            self._preposition,
            self._organisation_phrase,
            self._short_word,
        ):
            points, note = evidence(mention, how_named)
            if points:
                mention.score += points
                mention.evidence.append(f"{note} ({points:+g})")

    def _known(self, mention, how_named):
        if any(ref.city_id for ref in mention.resolution.choices):
            return 4, "a registry city"
        return 0, ""

    def _size(self, mention, how_named):
        population = max((ref.population or 0) for ref in mention.resolution.choices)
        if population >= 1_000_000:
            return 3, "a city of a million or more"
        if population >= 100_000:
            return 2, "a city of 100,000 or more"
        if population >= 10_000:
            return 1, "a town of 10,000 or more"
        return 0, ""

    def _naming(self, mention, how_named):
        if how_named == "OCR reading":
            return -0.5, f"read as {mention.resolution.choices[0].name} through an OCR slip"
        if "alternative name" in mention.resolution.how and "name or" not in (
            mention.resolution.how
        ):
            return 0, ""
        return 1, "named as the registry or gazetteer names it"

    def _government_words(self, mention, how_named):
        suffix = GOVERNMENT_SUFFIX.match(self.text, mention.end)
        if suffix:
            mention.end = suffix.end()
            mention.surface = self.text[mention.start : mention.end]
            return 2, "followed by words of local government"
        if GOVERNMENT_PREFIX.search(self.text[max(0, mention.start - 40) : mention.start]):
            return 2, "after “City of”, “Mayor of” or the like"
        return 0, ""

    def _country(self, mention, how_named):
        if mention.country_hint:
            return 2, f"followed by its country ({mention.country_hint})"
        return 0, ""

    def _preposition(self, mention, how_named):
        if PLACE_PREPOSITION.search(self.text[max(0, mention.start - 25) : mention.start]):
            return 1, "after a word of place (in, from, to, visited …)"
        return 0, ""

    def _organisation_phrase(self, mention, how_named):
        following = re.match(r"[ \t]+((?:[A-Z][\w&'’-]*[ \t]*){1,3})", self.text[mention.end :])
        if following and mention.end == mention.start + len(mention.surface):
            words = {normalize(w) for w in following.group(1).split()}
            if words & ORGANISATION_WORDS:
                return -3, "part of an organisation's or a thing's name"
        return 0, ""

    def _short_word(self, mention, how_named):
        if len(normalize(mention.surface)) <= 3 and not mention.country_hint:
            return -1, "a short word that is often something else"
        return 0, ""

    def _weigh_lists(self, mentions: list[CityMention]) -> None:
        """Add evidence to mentions listed among other cities ("Busan · Dobong-gu · …")."""
        by_line: dict[int, list[CityMention]] = {}
        for mention in mentions:
            line_start = self.text.rfind("\n", 0, mention.start) + 1
            by_line.setdefault(line_start, []).append(mention)
        for line_start, group in by_line.items():
            line_end = self.text.find("\n", line_start)
            line = self.text[line_start : line_end if line_end != -1 else len(self.text)]
            if len(LIST_SEPARATORS.findall(line)) < 2:
                continue
            confident = [m for m in group if m.score >= ACCEPT_SCORE - 1]
            for mention in group:
                mention.in_list = True
                others = len([m for m in confident if m is not mention])
                if others >= 2:
                    mention.score += 1.5
                    mention.evidence.append(f"listed with {others} other cities (+1.5)")


def find_cities(registry: Registry, text: str, masked: list[tuple[int, int]]) -> list[CityMention]:
    """Return the city mentions of ``text`` (``masked`` spans, such as dates, are skipped)."""
    return CityFinder(registry, text, masked).find()
