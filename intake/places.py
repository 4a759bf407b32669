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
from cities.matching import AMBIGUOUS, MATCHED
from intake.registry import CityRef, Registry, Resolution

MAX_NAME_WORDS = 5
ACCEPT_SCORE = 3.0
MIN_ALTERNATIVE_NAME = 5  # shorter alternative names are codes and abbreviations ("THE")

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
JOINER = re.compile(r"^(?:[ \t]+|[ \t]*[-‐][ \t]*|\.[ \t]*|\.?[ \t]*\n[ \t]*)$")

# Words after a name that make it a local government: "Suwon Special City". Patterns used
# as ``pattern.match(text, pos)`` have no "^": it would match only at the text's start.
GOVERNMENT_SUFFIX = re.compile(
    r"[ \t]*(?:[-‐][ \t]*)?(?:Metropolitan (?:City|Government|Area)|Special (?:City|Self-Governing"
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

# --- places no gazetteer holds, proposed as new cities when the text says they are places
# Words after a name that make it a local government or a district: "Tilottama
# Municipality", "Dhaka North City Corporation".
NEW_PLACE_SUFFIX = re.compile(
    r"[ \t]+(?:Sub-Metropolitan City|Metropolitan City|City Corporation|City Council|"
    r"City Government|City Hall|Municipal Corporation|Municipal Council|Municipality|"
    r"Regency|District|City)\b"
)
NEW_PLACE_PREFIX = re.compile(r"\b(?:City|Municipality|Town|District)\s+of\s+$")
# Romanised administrative suffixes: a Korean district ("Dobong-gu") or county, a Japanese
# ward or city; each says the country too.
ADMIN_SUFFIX = re.compile(r"[-‐](gu|gun|ku|shi)\b")
ADMIN_SUFFIX_COUNTRY = {"gu": "KR", "gun": "KR", "ku": "JP", "shi": "JP"}
SENTENCE_END = r"(?<!Mt)(?<!St)(?<!Ft)\.\s"
# Items of a list as punctuation separates them; in running text, words cut them too.
LIST_ITEM_SPLIT = re.compile(rf"[·•|,;:()]|\\cdot|\$|{SENTENCE_END}|\band\b")
ITEM_SPLIT = re.compile(
    rf"[·•|,;:()]|\\cdot|\$|{SENTENCE_END}|\b(?:and|or|with|in|to|from|at|on|for|by|as|the)\b"
)
NEW_PLACE_WORD = re.compile(r"^[A-Z][a-z’'.]+$")
MAX_NEW_PLACE_WORDS = 3
DIRECTIONS = frozenset({"north", "south", "east", "west", "central"})
REGION_WORDS = frozenset({"province", "island", "islands", "state", "region", "prefecture"})
# Words before "City" that make a kind of city, not a place's name: "Walkable City".
KIND_OF_CITY = re.compile(r"(?:able|ible|ive|al|ful|ent|ant|ing|ic|ous|ed|er|y)$")
# Abbreviations that lists write and the gazetteer spells out: "Dehiwala - Mt. Lavinia".
ABBREVIATIONS = (
    (r"\bMt\.?(?=\s)", "Mount"),
    (r"\bSt\.?(?=\s)", "Saint"),
    (r"\bFt\.?(?=\s)", "Fort"),
)


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
# Capitalised words that start a phrase about cities, never a new place's name.
NOT_NEW_PLACES = words(
    """host sister capital pilot model twin mega inner future friendly creative member
    partner international metropolitan local regional municipal provincial federal state
    world the seoul night korea japan china india nepal republic kingdom federation
    associate full honorary observer corporate"""
)
NOT_A_CITY_AFTER = re.compile(r"[ \t]+(?:Province|Island|Islands|State|Region|Prefecture)\b")
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
            mention, used = self._new_place_at(tokens, index)
            if mention is None:
                mention, used = self._longest_at(tokens, index)
            if mention is None:
                index += 1
                continue
            mentions.append(mention)
            index += used
        self._weigh_lists(mentions)
        mentions += self._new_places_in_lists(mentions)
        return sorted(mentions, key=lambda m: m.start)

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
        if key in ORGANISATION_WORDS:
            return None  # "Bank", "Center", "Metro" alone: the end of a body's name
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

    # ------------------------------------------------------------------ new places

    def plausible_name(self, start: int, end: int, name: str) -> bool:
        """Return True if ``name`` may be a place's name by its words: no person, date,
        common word, word of organisations or of regions ("Phuket Province")."""
        if self.is_masked(start, end):
            return False
        parts = [normalize(part) for part in name.replace("-", " ").split()]
        if not parts or parts[0] in NOT_NEW_PLACES or parts[0] in FUNCTION_WORDS:
            return False
        for number, part in enumerate(parts):
            if part in NOT_CITIES and not (number and part in DIRECTIONS):
                return False  # "Smart City", "Southeast Asia"; "Dhaka North" may be a place
            if part in ORGANISATION_WORDS or part in FUNCTION_WORDS or part in REGION_WORDS:
                return False
            if number and part in NOT_NEW_PLACES:
                return False
        return not (len(parts) == 1 and self.is_common_word(name))

    def may_be_new_place(self, start: int, end: int, name: str) -> bool:
        """Return True if ``name`` may be a place no gazetteer holds: a plausible name that
        is no known place's, no country's, and not an abbreviation."""
        key = normalize(name)
        if not key or self.registry.knows(key) or country_name(key):
            return False
        return len(key.replace(" ", "")) >= 4 and self.plausible_name(start, end, name)

    def new_place(self, start: int, end: int, name: str, country: str | None, how: str):
        """Return a mention of a place the gazetteer lacks, which the text says is a place."""
        ref = CityRef(name=name, country=country or "")
        resolution = Resolution(MATCHED, [ref], f"not in the gazetteer: {how}")
        mention = CityMention(start, end, name, resolution, ACCEPT_SCORE, country_hint=country)
        mention.evidence.append(f"{how} (+{ACCEPT_SCORE:g})")
        return mention

    def _new_place_at(self, tokens, index: int) -> tuple[CityMention | None, int]:
        """Return a new place named at ``tokens[index]`` ("Tilottama Municipality",
        "Municipality of Godawari", "Dobong-gu", "in Tansen, Nepal"), or (None, 0)."""
        if not tokens[index].group()[:1].isupper():
            return None, 0
        run = [tokens[index]]
        while len(run) < MAX_NEW_PLACE_WORDS and index + len(run) < len(tokens):
            after = tokens[index + len(run)]
            gap = self.text[run[-1].end() : after.start()]
            if gap not in (" ", "-") or not NEW_PLACE_WORD.match(after.group()):
                break
            if gap == " " and not after.group()[:1].isupper():
                break
            if NEW_PLACE_SUFFIX.match(self.text, run[-1].end()) or ADMIN_SUFFIX.match(
                self.text, run[-1].end()
            ):
                break
            run.append(after)
        if any(not NEW_PLACE_WORD.match(t.group()) for t in run):
            return None, 0
        for size in range(len(run), 0, -1):
            start, end = run[0].start(), run[size - 1].end()
            found = self._new_place_evidence(start, end)
            if found is not None:
                name_end, country, how = found
                name = self.text[start:name_end]
                if self.may_be_new_place(start, name_end, name):
                    mention = self.new_place(start, name_end, name, country, how)
                    used = len([t for t in tokens[index:] if t.start() < name_end])
                    return mention, used
        return None, 0

    def _new_place_evidence(self, start: int, end: int) -> tuple[int, str | None, str] | None:
        """Return (end of the name, country, how) if the text says start:end is a place."""
        name = self.text[start:end]
        admin = ADMIN_SUFFIX.match(self.text, end)
        if admin and not re.search(r"[\s-]", name):
            suffix = admin.group(1)
            return admin.end(), ADMIN_SUFFIX_COUNTRY[suffix], f"an “-{suffix}” district"
        suffix = NEW_PLACE_SUFFIX.match(self.text, end)
        following = suffix and re.match(r"[ \t]+([A-Z][\w'’-]*)", self.text[suffix.end() :])
        if (
            suffix
            and not (suffix.group().strip() == "City" and KIND_OF_CITY.search(name.split()[-1]))
            and not (following and normalize(following.group(1)) in ORGANISATION_WORDS)
        ):
            return end, self.country_after(end), f"followed by “{suffix.group().strip()}”"
        if NEW_PLACE_PREFIX.search(self.text[max(0, start - 30) : start]) and (
            self.text[end : end + 1] in ("", " ", ",", ".", ";", ":", ")", "\n")
        ):
            return end, self.country_after(end), "after “City of”, “Municipality of” or the like"
        country = self.country_after(end)
        if country and PLACE_PREPOSITION.search(self.text[max(0, start - 25) : start]):
            return end, country, f"“in …, {country}”"
        return None

    def _new_places_in_lists(self, mentions: list[CityMention]) -> list[CityMention]:
        """Return the places listed among cities that no mention holds yet: items of a list
        whose other items are mostly cities ("Busan · Godawari · Incheon"), or of "the
        cities of A, B and C"; a name the gazetteer knows is read through it (a short or
        rare name weighs enough there), any other is a new place."""
        accepted = [m for m in mentions if m.score >= ACCEPT_SCORE]
        held = [(m.start, m.end) for m in accepted]
        found: list[CityMention] = []
        for line_start, line_end, introduced in self._lists():
            cities = [m for m in accepted if line_start <= m.start < line_end]
            items = self._items(line_start, line_end)
            if not introduced and (len(cities) < 3 or len(cities) * 2 < len(items)):
                continue
            how = "in a list of cities" if introduced else "named among cities"
            # A new place is a whole item of a list ("· Godawari ·"), not any capitalised
            # word of a sentence that names many cities.
            bounded = set(self._items(line_start, line_end, LIST_ITEM_SPLIT))
            for item_start, item_end in items:
                inside = [m for m in accepted if item_start <= m.start and m.end <= item_end]
                whole = None
                if introduced or (item_start, item_end) in bounded:
                    whole = self._whole_item(item_start, item_end, inside, how)
                if whole is not None:
                    # "Pangkal Pinang": one place, not a new "Pangkal" beside "Pinang".
                    mentions[:] = [m for m in mentions if m not in inside]
                    accepted = [m for m in accepted if m not in inside]
                    held = [span for span in held if span not in [(m.start, m.end) for m in inside]]
                    found.append(whole)
                    held.append((whole.start, whole.end))
                    continue
                for start, end in self._leftovers(item_start, item_end, held):
                    new_allowed = introduced or (start, end) in bounded
                    mention = self._listed(start, end, how, new_allowed=new_allowed)
                    if mention is not None:
                        found.append(mention)
                        held.append((start, end))
        # A weak reading inside a listed place ("Lavinia" in "Dehiwala - Mt. Lavinia") goes.
        mentions[:] = [
            m
            for m in mentions
            if m.score >= ACCEPT_SCORE or not any(a < m.end and m.start < b for a, b in held)
        ]
        return found

    def _whole_item(self, start: int, end: int, inside: list, how: str) -> CityMention | None:
        """Return the item as one place when it is a short name around one known name
        read as a place of its own ("Seberang Perai" holding "Perai"), else None."""
        if len(inside) != 1 or (inside[0].start, inside[0].end) == (start, end):
            return None
        if inside[0].end != end and inside[0].start != start:
            return None
        rest = self._leftovers(start, end, [(inside[0].start, inside[0].end)])
        if any(self.registry.knows(normalize(self.text[a:b])) for a, b in rest):
            return None  # "Singapore-Milan": two places
        if any(not self.text[a:b][:1].isupper() for a, b in rest):
            return None  # "Chennai will join": a name, then the sentence goes on
        return self._listed(start, end, how)

    def _leftovers(self, start: int, end: int, held) -> list[tuple[int, int]]:
        """Return the pieces of start:end that no held span covers, trimmed."""
        pieces, cut = [], start
        for a, b in sorted(span for span in held if span[0] < end and start < span[1]):
            pieces.append((cut, max(cut, a)))
            cut = max(cut, b)
        pieces.append((cut, end))
        trimmed = []
        for a, b in pieces:
            piece = self.text[a:b]
            stripped = piece.strip(" \t$.-‐–")
            if stripped:
                first = a + piece.index(stripped)
                trimmed.append((first, first + len(stripped)))
        return trimmed

    def _listed(
        self, start: int, end: int, how: str, *, new_allowed: bool = True
    ) -> CityMention | None:
        """Return the mention of a place named as a list item at start:end, or None."""
        name = self.text[start:end]
        parts = name.replace("-", " ").split()
        if not 1 <= len(parts) <= MAX_NEW_PLACE_WORDS or not name[:1].isupper():
            return None
        if not all(NEW_PLACE_WORD.match(part) for part in parts):
            return None
        key = normalize(name)
        for pattern, spelled in ABBREVIATIONS:
            spelled_out = normalize(re.sub(pattern, spelled, name))
            if spelled_out != key and self.registry.knows(spelled_out):
                key = spelled_out
        if not self.registry.knows(key) and self.registry.knows(key.replace(" ", "")):
            key = key.replace(" ", "")  # "Pangkal Pinang" is GeoNames' "Pangkalpinang"
        if not self.registry.knows(key):
            key = self.registry.ocr_reading(key) or key
        if not self.registry.knows(key):
            if new_allowed and self.may_be_new_place(start, end, name):
                return self.new_place(start, end, name, None, how)
            return None
        if not self.plausible_name(start, end, name):
            return None
        resolution = self.resolve(key, None)
        if resolution is None:
            return None
        country = country_name(key)
        if country and not (resolution.city and resolution.city.country == country):
            return None  # a country in the list; a city-state (Singapore) is its city
        mention = CityMention(start, end, name, resolution, ACCEPT_SCORE)
        mention.evidence.append(f"{how} (+{ACCEPT_SCORE:g})")
        return mention

    def _lists(self):
        """Yield (start, end, introduced) of lists: lines with separators, and the items
        after "the cities of" up to the end of the sentence (introduced)."""
        offset = 0
        for line in self.text.split("\n"):
            if len(LIST_SEPARATORS.findall(line)) >= 2:
                yield offset, offset + len(line), False
            offset += len(line) + 1
        for match in re.finditer(r"\b(?:cities|municipalities|towns|districts)\b", self.text, re.I):
            after = self.text[match.end() : match.end() + 300]
            intro = re.match(
                r"[ \t]+(?:of|such as|including|like|namely)[ \t]+|[ \t]*[:(][ \t]*", after
            )
            if intro is None:
                continue
            start = match.end() + intro.end()
            stop = re.search(r"[.;:)\n]", self.text[start : start + 300])
            yield start, start + (stop.start() if stop else 300), True

    def _items(self, start: int, end: int, split=ITEM_SPLIT) -> list[tuple[int, int]]:
        """Return the (start, end) of each item of a list between ``start`` and ``end``."""
        items, cut = [], start
        for match in [*split.finditer(self.text, start, end), None]:
            stop = match.start() if match else end
            piece = self.text[cut:stop]
            stripped = piece.strip(" \t$.")
            if stripped:
                first = cut + piece.index(stripped)
                items.append((first, first + len(stripped)))
            cut = match.end() if match else end
        return items

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
