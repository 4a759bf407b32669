"""Find the organisations and networks a text names.

Known ones come from the registry, by name or acronym. New ones are read from how
documents name organisations: an acronym defined in brackets ("Japan International
Cooperation Agency (JICA)"), a capitalised name ending in a word such as Agency, Institute
or Secretariat, and the names listed after "organised by", "in cooperation with",
"Partner" and the like. A city government ("Seoul Metropolitan Government") is a city,
not an organisation; an acronym whose long form is no organisation ("Nature-based
Solutions (NbS)") is not proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cities.gazetteer import normalize
from intake.places import GOVERNMENT_SUFFIX, words
from intake.registry import NetworkEntry, Registry

ORGANISATION_HEADS = words(
    """agency organization organisation commission council secretariat institute institution
    university foundation center centre association network ministry department bank
    corporation office society initiative coalition alliance federation league authority
    fund campaign group chapter hub technopark park programme committee union partnership
    partnerships platform consortium company ltd inc gmbh trust academy college school
    cooperative observatory accords"""
)
NOT_ORGANISATION_HEADS = words("programme platform park partnership partnerships union")
CONNECTORS = words("of for and the on in & de du des la le y für")
ROLE_CUES = re.compile(
    r"\b(?:(?:co-?)?organi[sz]ed by|(?:co-?)?hosted by|convened by|coordinated by|funded by|"
    r"sponsored by|supported by|led by|initiated by|in (?:cooperation|collaboration|partnership)"
    r" with|with the support of|collaborating with|together with|jointly (?:organi[sz]ed )?by|"
    r"Partners?:?)\s+",
    re.IGNORECASE,
)
TITLE_WORDS = (
    "Director|General|Head|CEO|Chief|Executive|Secretary|Deputy|Senior|Junior|Minister|"
    "President|Vice|Chair|Chairman|Professor|Manager|Officer|Advisor|Adviser|Ambassador|Founder"
)
ACRONYM = r"[A-Z][A-Za-z0-9&]*[A-Z][A-Za-z0-9&-]*"
DEFINITION = re.compile(rf"\(\s*(?P<acronym>{ACRONYM}(?:[ -]{ACRONYM})?)\s*\)")
SUBJECT = re.compile(
    rf"(?<![\w-])(?P<name>{ACRONYM}(?:[ -]{ACRONYM})?|[A-Z][a-z]+[A-Z]\w*)(?:,[^,\n]{{0,90}},)?"
    r"\s+(?:also\s+|further\s+|successfully\s+|jointly\s+)?(?:co-?)?(?:organi[sz]ed|hosted|"
    r"convened|signed|supported|launched|participated|held|joined|visited|welcomed|coordinated|"
    r"funded|conducted|released|published|shared|met|strengthened|reinforced|implemented|"
    r"leads|led|runs|ran|brings|brought|partnered|updated|offers|provides|invites)\b"
)
NAME_WORD = re.compile(r"[A-Z][\w'’&.-]*|[A-Z]{2,}")
ITEM_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|:|\|)\s*")
# All-capital words that are not organisations.
NOT_ACRONYMS = words(
    """EU-ASIA SDG SDGS GHG CO2 ESG PPP MOU MOU LOI EV BCG NBS DRR VLR VLRS PDF HTML URL FAQ
    CEO CFO CTO USD EUR ID TV PM AM GDP I II III IV V VI VII VIII IX X OK COVID-19 COVID"""
)


@dataclass
class OrganisationMention:
    """An organisation named in the text, and how it was recognised."""

    start: int
    end: int
    name: str
    acronym: str = ""
    existing: NetworkEntry | None = None
    how: str = ""
    evidence: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.existing is not None:
            return f"network:{self.existing.id}"
        return normalize(self.name).replace(" ", "")


def is_organisation_name(name: str) -> bool:
    """Return True if a capitalised name ends in (or holds) a word that names a body."""
    parts = [normalize(w) for w in name.split()]
    if not parts:
        return False
    if parts[-1] in ORGANISATION_HEADS and parts[-1] not in NOT_ORGANISATION_HEADS:
        return True
    return any(p in ORGANISATION_HEADS - NOT_ORGANISATION_HEADS for p in parts[:-1]) and (
        "of" in parts or "for" in parts
    )


def name_before(text: str, end: int, max_words: int = 9) -> tuple[int, str] | None:
    """Return the capitalised name that ends at ``end`` ("Japan International … Agency")."""
    tokens = list(re.finditer(r"[\w'’&.-]+", text[max(0, end - 160) : end]))
    base = max(0, end - 160)
    chosen = None
    count = 0
    previous_start = end
    for token in reversed(tokens):
        word = token.group()
        gap = text[base + token.end() : previous_start]
        if gap.strip() or gap.count("\n") > 1:
            break  # a comma, a bracket or a blank line ends a name
        previous_start = base + token.start()
        if word[0].isupper():
            chosen = base + token.start()
            count += 1
        elif word.casefold() in CONNECTORS and chosen is not None:
            continue
        else:
            break
        if count >= max_words:
            break
    if chosen is None:
        return None
    name = text[chosen:end].strip()
    titled = re.match(rf"^(?:(?:{TITLE_WORDS})\s+)+(?:of|at)\s+(?:the\s+)?", name)
    if titled:
        name = name[titled.end() :]  # "Director General of the Chongqing … Commission"
    while name.split() and name.split()[0].casefold() in CONNECTORS:
        name = name.split(" ", 1)[1] if " " in name else ""
    return (end - len(name), name) if name else None


def acronym_fits(acronym: str, name: str) -> bool:
    """Return True if the acronym's capitals appear in order among the name's initials."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", name)).upper()
    letters = [c for c in acronym.upper() if c.isalpha()]
    position = 0
    for letter in letters:
        position = initials.find(letter, position)
        if position == -1:
            return False
        position += 1
    return bool(letters) and initials[:1] == letters[0]


class OrganisationFinder:
    """Find organisations in one text."""

    def __init__(self, registry: Registry, text: str, city_spans: list[tuple[int, int]]):
        self.registry = registry
        self.text = text
        self.city_spans = city_spans
        self.not_organisations: set[str] = set()  # acronyms of things, not bodies

    def find(self) -> list[OrganisationMention]:
        mentions = [*self.definitions(), *self.named_bodies(), *self.known(), *self.subjects()]
        mentions += self.listed_in_roles(mentions)
        return [m for m in mentions if normalize(m.acronym or m.name) not in self.not_organisations]

    def is_city_government(self, start: int, end: int) -> bool:
        """Return True if the span is a city named with words of local government."""
        return any(s <= start < e or start <= s < end for s, e in self.city_spans) and bool(
            GOVERNMENT_SUFFIX.search(self.text[start:end])
        )

    def definitions(self) -> list[OrganisationMention]:
        """Read "Long Name (ACRONYM)" where the long name is a body's."""
        found = []
        for match in DEFINITION.finditer(self.text):
            acronym = match.group("acronym")
            before = name_before(self.text, match.start())
            if before is None:
                continue
            start, name = before
            if not acronym_fits(acronym, name) and not is_organisation_name(name):
                continue
            if not is_organisation_name(name):
                self.not_organisations.add(normalize(acronym))
                continue
            if self.is_city_government(start, match.start()):
                continue
            found.append(
                OrganisationMention(
                    start,
                    match.end(),
                    name,
                    acronym,
                    existing=self.registry.network(acronym) or self.registry.network(name),
                    how="a name with its acronym in brackets",
                )
            )
        return found

    def named_bodies(self) -> list[OrganisationMention]:
        """Read capitalised names that end in a word naming a body ("… Secretariat")."""
        found = []
        heads = "|".join(sorted(ORGANISATION_HEADS - NOT_ORGANISATION_HEADS, key=len, reverse=True))
        for match in re.finditer(rf"\b(?:{heads})\b", self.text, re.IGNORECASE):
            word = match.group()
            if not word[0].isupper():
                continue
            start_name = name_before(self.text, match.end())
            if start_name is None:
                continue
            start, name = start_name
            following = re.match(
                r"\s+of\s+((?:the\s+)?[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*)",
                self.text[match.end() :],
            )
            end = match.end()
            if following:
                name = f"{name}{self.text[match.end() : match.end() + following.end()]}"
                end = match.end() + following.end()
            name = " ".join(name.split())
            if len(name.split()) < 2 or name.isupper() and len(name.split()) > 6:
                continue
            if self.is_city_government(start, end):
                continue
            found.append(
                OrganisationMention(
                    start,
                    end,
                    name,
                    existing=self.registry.network(name),
                    how=f"a name ending in “{word}”",
                )
            )
        return found

    def subjects(self) -> list[OrganisationMention]:
        """Read acronyms and brand names that act as bodies do ("GIZ co-organised …")."""
        found = []
        for match in SUBJECT.finditer(self.text):
            name = match.group("name")
            if name.upper() in NOT_ACRONYMS or not (is_acronym(name) or is_brand(name)):
                continue
            if any(s <= match.start() < e for s, e in self.city_spans):
                continue
            found.append(
                OrganisationMention(
                    match.start("name"),
                    match.end("name"),
                    name,
                    name if is_acronym(name) else "",
                    existing=self.registry.network(name),
                    how="acts as a body does (organised, hosted, signed …)",
                )
            )
        return found

    def known(self) -> list[OrganisationMention]:
        """Find the registry's networks by name or acronym."""
        found = []
        for network in self.registry.networks:
            for label in {network.name, network.acronym} - {""}:
                flags = 0 if label.isupper() or len(label) <= 5 else re.IGNORECASE
                for match in re.finditer(
                    rf"(?<![\w-]){re.escape(label)}(?![\w-])", self.text, flags
                ):
                    found.append(
                        OrganisationMention(
                            match.start(),
                            match.end(),
                            network.name,
                            network.acronym,
                            existing=network,
                            how="a network the registry knows",
                        )
                    )
        return found

    def listed_in_roles(self, named: list[OrganisationMention]) -> list[OrganisationMention]:
        """Read the bodies listed after "organised by", "Partner", "in cooperation with"…"""
        found = []
        for cue in ROLE_CUES.finditer(self.text):
            line_end = self.text.find("\n", cue.end())
            stop = re.search(
                r"[.;(]\s|\n", self.text[cue.end() : line_end if line_end != -1 else None]
            )
            end = cue.end() + (
                stop.start()
                if stop
                else (line_end - cue.end() if line_end != -1 else len(self.text) - cue.end())
            )
            position = cue.end()
            for item in ITEM_SPLIT.split(self.text[cue.end() : end]):
                item_start = self.text.find(item, position) if item else -1
                if item_start == -1:
                    continue
                position = item_start + len(item)
                found.extend(self._listed_item(item.strip(" .'\""), item_start))
        return found

    def _listed_item(self, item: str, start: int) -> list[OrganisationMention]:
        item = leading_name(item)
        if not item or not item[0].isupper() or len(item.split()) > 8:
            return []
        end = start + len(item)
        if any(s <= start and end <= e + 25 for s, e in self.city_spans):
            return []  # a city ("Makati City", "Seoul Metropolitan Government")
        if not (is_acronym(item) or is_organisation_name(item) or len(item.split()) >= 2):
            return []
        if item.upper() in NOT_ACRONYMS:
            return []
        acronym = item if is_acronym(item) else ""
        return [
            OrganisationMention(
                start,
                end,
                item,
                acronym,
                existing=self.registry.network(item),
                how="listed as organiser or partner",
            )
        ]


def leading_name(item: str) -> str:
    """Return the capitalised name an item starts with ("GIZ under the project" → "GIZ")."""
    kept = []
    for word in item.split():
        if word[0].isupper() or word[0].isdigit() or (kept and word.casefold() in CONNECTORS):
            kept.append(word)
        else:
            break
    while kept and kept[-1].casefold() in CONNECTORS:
        kept.pop()
    return " ".join(kept)


def is_brand(text: str) -> bool:
    """Return True for one word with a capital inside it ("CityNet", "GeSI")."""
    return " " not in text and len(text) > 3 and any(c.isupper() for c in text[1:])


def is_acronym(text: str) -> bool:
    """Return True for "UNESCAP", "UN-Habitat", "ICP-AGIR", "UCLG ASPAC", "GeSI"."""
    compact = text.replace("-", "").replace(" ", "")
    capitals = sum(c.isupper() for c in compact)
    return 2 <= len(compact) <= 14 and capitals >= 2 and capitals >= len(compact) / 2


def find_organisations(
    registry: Registry, text: str, city_spans: list[tuple[int, int]]
) -> list[OrganisationMention]:
    """Return the organisation mentions of ``text``."""
    return OrganisationFinder(registry, text, city_spans).find()
