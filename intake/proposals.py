"""Propose cited records from a document: cities, networks, activities, pairings, memberships.

``propose(document, registry)`` reads an ``ExtractedText`` against a ``Registry`` snapshot
and returns ``Proposals``: plain dataclasses, each with the verbatim quote it rests on (as
the document has it), its locator (page and line) and ``existing``, the id of the registry
record it matches, if any. Nothing is written: accepting a proposal is the caller's
business. A name that can mean several cities is proposed as a choice, never guessed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from cities.gazetteer import normalize
from cities.matching import AMBIGUOUS
from intake.activities import ActivityFinder
from intake.dates import document_year, find_dates
from intake.organisations import OrganisationMention, find_organisations
from intake.places import ACCEPT_SCORE, CityMention, find_cities
from intake.registry import CityRef, Registry
from intake.relations import RelationFinder
from intake.segments import Segments
from sources.extract import ExtractedText, Locator

MAX_QUOTE = 300  # characters: a quote is a passage, not a page


class ProposalKind:
    CITY = "city"
    NETWORK = "network"
    ACTIVITY = "activity"
    PAIRING = "pairing"
    MEMBERSHIP = "membership"


@dataclass
class Proposal:
    """What every proposal carries: its kind, its quote and where the quote is."""

    kind: str
    quote: str
    locator: Locator
    start: int  # offsets of the quote in the document's text
    end: int
    existing: int | None = None
    how: str = ""


@dataclass
class CityProposal(Proposal):
    name: str = ""  # as the document writes it
    city: CityRef | None = None  # the city meant, when the name means one
    choices: list[CityRef] = field(default_factory=list)  # when it can mean several
    score: float = 0.0


@dataclass
class NetworkProposal(Proposal):
    name: str = ""
    acronym: str = ""


@dataclass
class ActivityProposal(Proposal):
    title: str = ""
    activity_kind: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    date_precision: str = ""
    inferred_year: bool = False
    date_text: str = ""
    cities: list[CityRef] = field(default_factory=list)
    organisers: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Participant:
    city: CityRef | None
    name: str
    role: str
    role_text: str = ""
    choices: list[CityRef] = field(default_factory=list)


@dataclass
class PairingProposal(Proposal):
    participants: list[Participant] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class MembershipProposal(Proposal):
    network: str = ""
    network_id: int | None = None
    member_city: CityRef | None = None
    member_name: str = ""
    member_type: str = ""


@dataclass
class Proposals:
    """Everything proposed from one document, by kind."""

    cities: list[CityProposal] = field(default_factory=list)
    networks: list[NetworkProposal] = field(default_factory=list)
    activities: list[ActivityProposal] = field(default_factory=list)
    pairings: list[PairingProposal] = field(default_factory=list)
    memberships: list[MembershipProposal] = field(default_factory=list)

    def all(self) -> list[Proposal]:
        return [*self.cities, *self.networks, *self.activities, *self.pairings, *self.memberships]


# --------------------------------------------------------------------------- quotes


def quote_span(text: str, start: int, end: int, around: tuple[int, int] | None = None):
    """Return (start, end) of a quote: the unit around a finding, cut to a readable length."""
    first, last = around or (start, end)
    if last - first <= MAX_QUOTE:
        return first, last
    first = max(first, start - MAX_QUOTE // 3)
    last = min(last, max(end, first + MAX_QUOTE))
    while first > 0 and not text[first - 1].isspace() and first > start - MAX_QUOTE:
        first -= 1
    while last < len(text) and not text[last].isspace() and last < end + MAX_QUOTE:
        last += 1
    return first, last


class Intake:
    """Read one document against the registry and propose records."""

    def __init__(self, document: ExtractedText, registry: Registry):
        self.document = document
        self.registry = registry
        self.text = document.text
        self.segments = Segments(self.text)
        self.year = document_year(self.text)
        self.dates = find_dates(self.text, default_year=self.year)

    def proposal_fields(self, start: int, end: int, around=None) -> dict:
        first, last = quote_span(self.text, start, end, around)
        return {
            "quote": self.text[first:last],
            "locator": self.document.locate(first),
            "start": first,
            "end": last,
        }

    def sentence_around(self, offset: int) -> tuple[int, int] | None:
        unit = self.segments.sentence_at(offset) or self.segments.line_at(offset)
        return (unit.start, unit.end) if unit else None

    def run(self) -> Proposals:
        date_spans = [(d.start_offset, d.end_offset) for d in self.dates]
        mentions = find_cities(self.registry, self.text, date_spans)
        accepted = self.accepted(mentions)
        organisations = find_organisations(
            self.registry, self.text, [(m.start, m.end) for m in accepted]
        )
        proposals = Proposals()
        proposals.cities = self.city_proposals(accepted)
        proposals.networks = self.network_proposals(organisations)
        proposals.activities = self.activity_proposals(accepted, organisations)
        relations = RelationFinder(self.text, self.segments, accepted, self.pilot_keys(accepted))
        proposals.pairings = self.pairing_proposals(relations)
        proposals.memberships = self.membership_proposals(relations, organisations)
        return proposals

    # ------------------------------------------------------------------ cities

    def accepted(self, mentions: list[CityMention]) -> list[CityMention]:
        """Return the mentions of cities the document names with enough evidence somewhere."""
        best: dict[tuple, float] = {}
        for mention in mentions:
            best[mention.key] = max(best.get(mention.key, 0.0), mention.score)
        return [m for m in mentions if best[m.key] >= ACCEPT_SCORE]

    def city_proposals(self, accepted: list[CityMention]) -> list[CityProposal]:
        by_key: dict[tuple, CityMention] = {}
        for mention in accepted:
            if mention.key not in by_key or mention.score > by_key[mention.key].score:
                by_key[mention.key] = mention
        proposals = []
        for mention in sorted(by_key.values(), key=lambda m: m.start):
            city = mention.city
            proposals.append(
                CityProposal(
                    kind=ProposalKind.CITY,
                    **self.proposal_fields(
                        mention.start, mention.end, self.sentence_around(mention.start)
                    ),
                    existing=city.city_id if city else None,
                    how=f"{mention.resolution.how}; " + "; ".join(mention.evidence),
                    name=mention.surface,
                    city=city,
                    choices=mention.resolution.choices if mention.ambiguous else [],
                    score=mention.score,
                )
            )
        return proposals

    def pilot_keys(self, accepted: list[CityMention]) -> set:
        """Return the cities the text calls pilot cities ("pilot cities (A, B, C)")."""
        keys = set()
        for match in re.finditer(
            r"\bpilot cit(?:y|ies)\b[^()\n]{0,40}\(([^)]*)\)", self.text, re.IGNORECASE
        ):
            for mention in accepted:
                if match.start(1) <= mention.start < match.end(1):
                    keys.add(mention.key)
        return keys

    # ------------------------------------------------------------------ networks

    def network_proposals(self, organisations: list[OrganisationMention]) -> list[NetworkProposal]:
        by_key: dict[str, OrganisationMention] = {}
        for mention in sorted(organisations, key=lambda m: m.start):
            known = by_key.get(mention.key)
            if known is None:
                by_key[mention.key] = mention
            elif mention.acronym and not known.acronym or len(mention.name) > len(known.name):
                known.name = mention.name if len(mention.name) > len(known.name) else known.name
                known.acronym = known.acronym or mention.acronym
        by_key = merge_acronym_twins(by_key)
        return [
            NetworkProposal(
                kind=ProposalKind.NETWORK,
                **self.proposal_fields(
                    mention.start, mention.end, self.sentence_around(mention.start)
                ),
                existing=mention.existing.id if mention.existing else None,
                how=mention.how,
                name=mention.name,
                acronym=mention.acronym,
            )
            for mention in sorted(by_key.values(), key=lambda m: m.start)
        ]

    # ------------------------------------------------------------------ activities

    def activity_proposals(self, accepted, organisations) -> list[ActivityProposal]:
        finder = ActivityFinder(self.text, self.segments, self.dates, self.year)
        proposals = []
        for finding in finder.find():
            first, last = finding.scope
            window_end = min(last, first + 1200)
            cities = []
            for mention in accepted:
                if (
                    first <= mention.start < window_end
                    and mention.city
                    and (mention.city not in cities)
                ):
                    cities.append(mention.city)
            organisers = []
            for mention in organisations:
                if first <= mention.start < window_end and mention.name not in organisers:
                    organisers.append(mention.name)
            proposals.append(
                ActivityProposal(
                    kind=ProposalKind.ACTIVITY,
                    **self.proposal_fields(finding.quote_start, finding.quote_end),
                    existing=self.registry.activity_like(finding.title, finding.start),
                    how=finding.how,
                    title=finding.title,
                    activity_kind=finding.kind,
                    start_date=finding.start,
                    end_date=finding.end,
                    date_precision=finding.precision,
                    inferred_year=finding.inferred_year,
                    date_text=finding.date.text if finding.date else "",
                    cities=cities[:12],
                    organisers=organisers[:6],
                    spans=finding.spans,
                )
            )
        return proposals

    # ------------------------------------------------------------------ relations

    def pairing_proposals(self, relations: RelationFinder) -> list[PairingProposal]:
        proposals = []
        for finding in relations.pairings():
            participants = [
                Participant(
                    city=p.mention.city,
                    name=p.mention.surface,
                    role=p.role,
                    role_text=p.role_text,
                    choices=p.mention.resolution.choices
                    if p.mention.resolution.status == AMBIGUOUS
                    else [],
                )
                for p in finding.participants
            ]
            city_ids = frozenset(p.city.city_id for p in participants if p.city and p.city.city_id)
            existing = (
                self.registry.pairing_with(city_ids) if len(city_ids) == len(participants) else None
            )
            proposals.append(
                PairingProposal(
                    kind=ProposalKind.PAIRING,
                    **self.proposal_fields(finding.quote_start, finding.quote_end),
                    existing=existing,
                    how=finding.how,
                    participants=participants,
                    spans=finding.spans,
                )
            )
        return proposals

    def membership_proposals(self, relations, organisations) -> list[MembershipProposal]:
        findings = relations.memberships()
        if not findings:
            return []
        network = main_network(organisations)
        proposals = []
        seen = set()
        for finding in findings:
            city = finding.member_city.city if finding.member_city else None
            key = city.key if city else normalize(finding.member_name)
            if key in seen:
                continue
            seen.add(key)
            proposals.append(
                MembershipProposal(
                    kind=ProposalKind.MEMBERSHIP,
                    **self.proposal_fields(
                        finding.member_city.start if finding.member_city else finding.quote_start,
                        finding.member_city.end if finding.member_city else finding.quote_end,
                        (finding.quote_start, finding.quote_end),
                    ),
                    how=finding.how,
                    network=network.name if network else "",
                    network_id=network.existing.id if network and network.existing else None,
                    member_city=city,
                    member_name=finding.member_name,
                    member_type=finding.member_type,
                )
            )
        return proposals


def merge_acronym_twins(by_key: dict[str, OrganisationMention]) -> dict[str, OrganisationMention]:
    """Merge a bare acronym with the named body it abbreviates ("UNESCAP" and its long name)."""
    acronyms = {
        normalize(m.acronym).replace(" ", ""): key
        for key, m in by_key.items()
        if m.acronym and m.name != m.acronym
    }
    merged = {}
    for key, mention in by_key.items():
        compact = normalize(mention.name).replace(" ", "")
        if mention.name == mention.acronym and compact in acronyms and acronyms[compact] != key:
            continue
        merged[key] = mention
    return merged


def main_network(organisations: list[OrganisationMention]) -> OrganisationMention | None:
    """Return the organisation the document names most: whose members its lists are."""
    counts = Counter(m.key for m in organisations)
    if not counts:
        return None
    key, _ = counts.most_common(1)[0]
    return next(m for m in organisations if m.key == key)


def propose(document: ExtractedText, registry: Registry | None = None) -> Proposals:
    """Return the records ``document`` supports, each with its quote and locator."""
    return Intake(document, registry or Registry.from_database()).run()
