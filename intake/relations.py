"""Find who cooperates with whom (pairings) and who belongs to which network (memberships).

Pairings: two or more cities in one sentence that says they cooperate — a delegation from
one visiting another, sessions connecting them, a pair written "Incheon-Berlin", a
section listing a stream's cities and its potential partner cities — with the roles the
text gives (host, visiting delegation, pilot, chair, partner, potential partner).

Memberships: lists of members under a heading that says so ("Full Members", "MEMBER
OVERVIEW", "… | Full Member"), each member a city or an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.places import LIST_SEPARATORS, CityMention
from intake.segments import Segments, Unit
from programmes.choices import MemberType, ParticipantRole

COOPERATION = re.compile(
    r"\b(?:delegations?|delegates|officials\s+visited|visit(?:ed|s|ing)?|study visits?|"
    r"connected|(?:cooperat|collaborat|partner)\w*\s+(?:with|between)|paired|pairs? of|"
    r"twin\w*|sister cit\w*|memorandum|mou|letter of intent|welcomed)\b",
    re.IGNORECASE,
)
NOT_COOPERATION = re.compile(
    r"\b(?:winners?|awarded|crowned|members?|member cities)\b", re.IGNORECASE
)
MAX_PAIRING_CITIES = 8
DASH_PAIR = re.compile(r"^[ \t]*[-–—][ \t]*$")
MEMBER_HEADING = re.compile(r"\bmembers?\b|\bmembership\b", re.IGNORECASE)
MEMBER_TYPE = re.compile(r"\b(full|associate|corporate)\s+members?\b", re.IGNORECASE)
MEMBER_LINE = re.compile(r"\|\s*(full|associate|corporate)\s+member\b", re.IGNORECASE)
MIN_LIST_ITEMS = 5
MEMBER_HEADING_LINES = 12  # how far above a list its "members" heading may stand


@dataclass
class ParticipantFinding:
    mention: CityMention
    role: str
    role_text: str = ""


@dataclass
class PairingFinding:
    participants: list[ParticipantFinding]
    quote_start: int
    quote_end: int
    how: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class MembershipFinding:
    member_city: CityMention | None
    member_name: str
    member_type: str
    quote_start: int
    quote_end: int
    how: str


def _role_around(text: str, mention: CityMention, sentence: Unit) -> tuple[str, str]:
    """Return the role a sentence gives a city, and the words that say so."""
    before = text[max(sentence.start, mention.start - 60) : mention.start]
    after = text[mention.end : min(sentence.end, mention.end + 60)]
    if re.search(r"\bchair\b", after[:45], re.IGNORECASE):
        return ParticipantRole.CHAIR, "chair"
    if re.search(
        r"\b(?:delegations?|delegates|officials|representatives)\b[^.]{0,40}\bfrom\s+"
        r"(?:the\s+)?(?:City of\s+)?$",
        before,
        re.IGNORECASE,
    ) or re.search(r"^\s*(?:\w+\s+){0,2}(?:officials|delegates|delegation)\b", after):
        return ParticipantRole.PARTICIPANT, "visiting delegation"
    if re.search(
        r"\b(?:visited|visit(?:s)? to|study visits? (?:in|to)|to|in|hosted by)\s+"
        r"(?:the\s+)?(?:City of\s+)?$",
        before,
        re.IGNORECASE,
    ):
        return ParticipantRole.PILOT, "host"
    if re.search(r"\bfrom\s+(?:the\s+)?$", before, re.IGNORECASE):
        return ParticipantRole.PARTICIPANT, "visiting delegation"
    if re.search(r"^\s*(?:\w+\s+){0,3}(?:conducted|visited|sent)\b", after):
        return ParticipantRole.PARTICIPANT, "visiting delegation"
    return ParticipantRole.PARTNER, "partner"


def distinct(mentions: list[CityMention]) -> list[CityMention]:
    seen, kept = set(), []
    for mention in mentions:
        if mention.key not in seen:
            seen.add(mention.key)
            kept.append(mention)
    return kept


class RelationFinder:
    """Find pairings and memberships in one text, from its accepted city mentions."""

    def __init__(
        self,
        text: str,
        segments: Segments,
        cities: list[CityMention],
        pilot_keys: set | None = None,
    ):
        self.text = text
        self.segments = segments
        self.cities = cities
        self.pilot_keys = pilot_keys or set()

    def cities_in(self, start: int, end: int) -> list[CityMention]:
        return [m for m in self.cities if start <= m.start and m.end <= end]

    # ------------------------------------------------------------------ pairings

    def pairings(self) -> list[PairingFinding]:
        found = [*self.dash_pairs(), *self.partner_sections(), *self.cooperation_sentences()]
        return merge_pairings(found)

    def dash_pairs(self) -> list[PairingFinding]:
        """Read pairs written with a dash ("Incheon-Berlin", "Taichung–Prato")."""
        found = []
        for first, second in zip(self.cities, self.cities[1:], strict=False):
            if not DASH_PAIR.match(self.text[first.end : second.start]):
                continue
            neighbours = [
                m
                for m in self.cities
                if m is not first
                and m is not second
                and (
                    DASH_PAIR.match(self.text[m.end : first.start])
                    if m.end <= first.start
                    else DASH_PAIR.match(self.text[second.end : m.start])
                    if m.start >= second.end
                    else False
                )
            ]
            if neighbours or first.key == second.key:
                continue  # a chain of names is a list, not a pair
            found.append(
                PairingFinding(
                    [
                        ParticipantFinding(first, ParticipantRole.PARTNER, "partner"),
                        ParticipantFinding(second, ParticipantRole.PARTNER, "partner"),
                    ],
                    first.start,
                    second.end,
                    "two cities written as a pair",
                )
            )
        return found

    def partner_sections(self) -> list[PairingFinding]:
        """Read a paragraph listing cities and their (potential) partner cities."""
        found = []
        for paragraph in self.segments.paragraphs:
            lines = [
                line
                for line in self.segments.lines
                if paragraph.start <= line.start < paragraph.end
            ]
            labelled = [
                line
                for line in lines
                if re.match(r"^[\w -]{0,40}\bcit(?:y|ies)\s*:", line.text, re.IGNORECASE)
            ]
            if len(labelled) < 2 or not any(
                re.match(r"^[\w -]*partner", line.text, re.IGNORECASE) for line in labelled
            ):
                continue
            participants = []
            for line in labelled:
                potential = bool(re.match(r"^[\w -]*potential", line.text, re.IGNORECASE))
                for mention in distinct(self.cities_in(line.start, line.end)):
                    if potential:
                        role, words = ParticipantRole.POTENTIAL_PARTNER, "potential partner"
                    elif re.match(r"^[\w -]*partner", line.text, re.IGNORECASE):
                        role, words = ParticipantRole.PARTNER, "partner"
                    elif mention.key in self.pilot_keys:
                        role, words = ParticipantRole.PILOT, "pilot"
                    else:
                        role, words = ParticipantRole.PARTICIPANT, "participant"
                    participants.append(ParticipantFinding(mention, role, words))
            if len({p.mention.key for p in participants}) >= 2:
                found.append(
                    PairingFinding(
                        participants,
                        labelled[0].start,
                        labelled[-1].end,
                        "a section listing cities and their partner cities",
                    )
                )
        return found

    def cooperation_sentences(self) -> list[PairingFinding]:
        """Read sentences where two or more cities cooperate, visit or are connected."""
        found = []
        for sentence in self.segments.sentences:
            mentions = distinct(self.cities_in(sentence.start, sentence.end))
            if not 2 <= len(mentions) <= MAX_PAIRING_CITIES:
                continue
            if not COOPERATION.search(sentence.text) or NOT_COOPERATION.search(sentence.text):
                continue
            if len(LIST_SEPARATORS.findall(sentence.text)) > 2 * len(mentions) + 2:
                continue  # a long list that names a few cities among other things
            participants = []
            for mention in mentions:
                role, words = _role_around(self.text, mention, sentence)
                if mention.key in self.pilot_keys and role == ParticipantRole.PARTNER:
                    role, words = ParticipantRole.PILOT, "pilot"
                participants.append(ParticipantFinding(mention, role, words))
            self._add_host_nearby(sentence, participants)
            found.append(
                PairingFinding(
                    participants,
                    sentence.start,
                    sentence.end,
                    "a sentence in which cities cooperate",
                )
            )
        return found

    def _add_host_nearby(self, sentence: Unit, participants: list[ParticipantFinding]) -> None:
        """Add the host named in the sentence before ("… hosted by Kaohsiung City, the Chair")."""
        if not re.search(r"\bwelcomed\b", sentence.text, re.IGNORECASE):
            return
        previous = [s for s in self.segments.sentences if s.end <= sentence.start][-1:]
        for before in previous:
            hosted = re.search(r"hosted by\s+", before.text)
            if not hosted:
                continue
            for mention in self.cities_in(before.start + hosted.end(), before.end)[:1]:
                if all(p.mention.key != mention.key for p in participants):
                    role, words = _role_around(self.text, mention, before)
                    participants.insert(0, ParticipantFinding(mention, role, words))

    # ------------------------------------------------------------------ memberships

    def memberships(self) -> list[MembershipFinding]:
        return [*self.member_lists(), *self.member_lines()]

    def member_lists(self) -> list[MembershipFinding]:
        """Read long lists of cities and bodies under a heading about members."""
        found = []
        lines = self.segments.lines
        for index, line in enumerate(lines):
            items = [
                i for i in re.split(r"\s*(?:[·•|;]|\\cdot|\$)\s*|,\s+", line.text) if i.strip()
            ]
            if len(items) < MIN_LIST_ITEMS:
                continue
            above = lines[max(0, index - MEMBER_HEADING_LINES) : index]
            heading = next(
                (a for a in reversed(above) if MEMBER_HEADING.search(a.text) and a.words <= 8), None
            )
            if heading is None:
                continue
            kind = next(
                (MEMBER_TYPE.search(a.text) for a in reversed(above) if MEMBER_TYPE.search(a.text)),
                None,
            )
            member_type = member_type_of(kind.group(1)) if kind else ""
            for mention in distinct(self.cities_in(line.start, line.end)):
                found.append(
                    MembershipFinding(
                        mention,
                        mention.surface,
                        member_type,
                        line.start,
                        line.end,
                        "a list under a heading about members",
                    )
                )
        return found

    def member_lines(self) -> list[MembershipFinding]:
        """Read lines such as "Roxas City Government Southeast Asia | Full Member"."""
        found = []
        for line in self.segments.lines:
            match = MEMBER_LINE.search(line.text)
            if match is None:
                continue
            mentions = self.cities_in(line.start, line.start + match.start())
            name = re.split(
                r"\s+(?:East|West|South|North|Southeast|Central)\b", line.text[: match.start()]
            )[0].strip()
            found.append(
                MembershipFinding(
                    mentions[0] if mentions else None,
                    name,
                    member_type_of(match.group(1)),
                    line.start,
                    line.end,
                    "a line naming a member and its type",
                )
            )
        return found


def member_type_of(word: str) -> str:
    return {
        "full": MemberType.FULL,
        "associate": MemberType.ASSOCIATE,
        "corporate": MemberType.CORPORATE,
    }[word.casefold()]


def merge_pairings(found: list[PairingFinding]) -> list[PairingFinding]:
    """Merge findings about the same set of cities; keep the most telling roles."""
    merged: dict[frozenset, PairingFinding] = {}
    for finding in found:
        key = frozenset(p.mention.key for p in finding.participants)
        if len(key) < 2:
            continue
        if key not in merged:
            finding.spans.append((finding.quote_start, finding.quote_end))
            merged[key] = finding
            continue
        kept = merged[key]
        kept.spans.append((finding.quote_start, finding.quote_end))
        roles = {p.mention.key: p for p in kept.participants}
        for participant in finding.participants:
            current = roles[participant.mention.key]
            if current.role in (ParticipantRole.PARTNER, ParticipantRole.PARTICIPANT) and (
                participant.role not in (ParticipantRole.PARTNER, ParticipantRole.PARTICIPANT)
            ):
                current.role, current.role_text = participant.role, participant.role_text
    return sorted(merged.values(), key=lambda f: f.quote_start)
