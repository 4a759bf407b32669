"""Measure intake against the seed: propose from each seed document, compare with fixtures/.

The registry used holds none of the seed (only the gazetteer): what intake would propose
for a document nobody has entered yet. For each document it counts recall (the share of
what the fixtures hold that a proposal finds) and precision (the share of proposals that
are right) for cities, organisations, dated activities (found, and with the right dates
and precision), cooperating city pairs and memberships.

    .venv/bin/python -m intake.evaluate            # the table docs/intake.md shows
"""

from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass, field

from cities.gazetteer import normalize
from intake.proposals import Proposals, propose
from intake.registry import CityRef, Registry
from sources.extract import extract_text
from sources.quotes import QuoteFinder

KINDS = ("cities", "organisations", "activities", "activity dates", "city pairs", "memberships")


def compact(name: str) -> str:
    return normalize(name or "").replace(" ", "")


@dataclass
class Score:
    """Found out of expected (recall), right out of proposed (precision)."""

    found: int = 0
    expected: int = 0
    right: int = 0
    proposed: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.right / self.proposed if self.proposed else None

    def __add__(self, other: Score) -> Score:
        return Score(
            self.found + other.found,
            self.expected + other.expected,
            self.right + other.right,
            self.proposed + other.proposed,
        )


@dataclass
class DocumentResult:
    seed_file: str
    scores: dict[str, Score] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)

    @property
    def proposals_right(self) -> Score:
        """All proposals: right out of proposed (activity dates counted once, as activities)."""
        total = Score()
        for kind in ("cities", "organisations", "activity dates", "city pairs", "memberships"):
            score = self.scores[kind]
            total += Score(right=score.right, proposed=score.proposed)
        return total


@dataclass
class Evaluation:
    documents: list[DocumentResult]

    def total(self, kind: str) -> Score:
        result = Score()
        for document in self.documents:
            result += document.scores[kind]
        return result

    @property
    def proposals_right(self) -> Score:
        result = Score()
        for document in self.documents:
            result += document.proposals_right
        return result


# --------------------------------------------------------------------------- expected


def city_key(fields: dict, slug: str) -> tuple:
    if fields.get("geonames_id"):
        return ("geonames", int(fields["geonames_id"]))
    return ("name", compact(fields.get("name") or slug))


def ref_keys(ref: CityRef | None, choices: list[CityRef] = ()) -> set[tuple]:
    keys = set()
    for candidate in ([ref] if ref else []) + list(choices):
        if candidate.geonames_id:
            keys.add(("geonames", candidate.geonames_id))
        keys.add(("name", compact(candidate.name)))
    return keys


def cited_in(record, slug: str) -> bool:
    return any(quote.source == slug for quote in record.quotes)


def spans_of(finder: QuoteFinder, quotes, slug: str) -> list[tuple[int, int]]:
    spans = []
    for quote in quotes:
        if quote.source == slug:
            match = finder.find(quote.text)
            if match.found:
                spans.append((match.start, match.end))
    return spans


def overlaps(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> bool:
    return any(a < d and c < b for a, b in first for c, d in second)


# --------------------------------------------------------------------------- comparison


def evaluate_document(seed_file: str, slug: str, data, registry: Registry) -> DocumentResult:
    """Propose from one seed document and compare with what the fixtures hold for it."""
    from core.dates import parse_period
    from imports.seed.read import seed_text

    document = extract_text(seed_text(seed_file))
    proposals = propose(document, registry)
    finder = QuoteFinder(document)
    records = data.records
    cities = records["city"]
    result = DocumentResult(seed_file)

    expected_cities = {
        city_key(record.fields, slug_): record.fields.get("name", slug_)
        for slug_, record in cities.items()
        if cited_in(record, slug)
    }
    compare_cities(result, proposals, expected_cities)

    networks = records["network"]
    expected_networks = [
        (record.fields.get("name", key), record.fields.get("acronym", ""))
        for key, record in networks.items()
        if cited_in(record, slug)
    ]
    compare_networks(result, proposals, expected_networks)

    expected_activities = []
    for key, record in records["activity"].items():
        if not cited_in(record, slug) or not record.fields.get("date"):
            continue
        period = parse_period(record.fields["date"])
        expected_activities.append(
            (record.fields.get("title", key), period, spans_of(finder, record.quotes, slug))
        )
    compare_activities(result, proposals, expected_activities)

    def key_of(city_slug: str) -> tuple:
        return city_key(cities[city_slug].fields, city_slug)

    expected_sets = []
    for record in records["pairing"].values():
        if cited_in(record, slug):
            members = {key_of(p["city"]) for p in record.fields.get("participants", [])}
            expected_sets.append(members)
    compare_pairs(result, proposals, expected_sets)

    expected_members = {}
    for (_network, kind, member), record in records["membership"].items():
        if not cited_in(record, slug):
            continue
        if kind == "city":
            expected_members[key_of(member)] = member
        else:
            fields = networks[member].fields
            expected_members[("name", compact(fields.get("name", member)))] = member
    compare_memberships(result, proposals, expected_members)
    return result


def compare_cities(result, proposals: Proposals, expected: dict) -> None:
    found, right, wrong = set(), 0, []
    for proposal in proposals.cities:
        keys = ref_keys(proposal.city, proposal.choices) & set(expected)
        found |= keys
        if keys:
            right += 1
        else:
            wrong.append(proposal.name)
    result.scores["cities"] = Score(len(found), len(expected), right, len(proposals.cities))
    result.misses["cities"] = sorted(str(v) for k, v in expected.items() if k not in found)
    result.wrong["cities"] = wrong


def network_matches(name: str, acronym: str, expected_name: str, expected_acronym: str) -> bool:
    mine = {compact(name), compact(acronym)} - {""}
    theirs = {compact(expected_name), compact(expected_acronym)} - {""}
    if mine & theirs:
        return True
    return any(len(t) >= 6 and len(m) >= 6 and (t in m or m in t) for m in mine for t in theirs)


def compare_networks(result, proposals: Proposals, expected: list) -> None:
    found, right, wrong = set(), 0, []
    for proposal in proposals.networks:
        hits = {
            index
            for index, (name, acronym) in enumerate(expected)
            if network_matches(proposal.name, proposal.acronym, name, acronym)
        }
        found |= hits
        right += bool(hits)
        if not hits:
            wrong.append(proposal.name)
    result.scores["organisations"] = Score(
        len(found), len(expected), right, len(proposals.networks)
    )
    result.misses["organisations"] = [e[0] for i, e in enumerate(expected) if i not in found]
    result.wrong["organisations"] = wrong


def compare_activities(result, proposals: Proposals, expected: list) -> None:
    found, dated, right, wrong = set(), set(), 0, []
    for proposal in proposals.activities:
        spans = [*proposal.spans, (proposal.start, proposal.end)]
        hits = [i for i, (_, _, cited) in enumerate(expected) if overlaps(spans, cited)]
        good = [
            i
            for i in hits
            if (expected[i][1].start, expected[i][1].end, expected[i][1].precision)
            == (proposal.start_date, proposal.end_date, proposal.date_precision)
        ]
        found |= set(hits)
        dated |= set(good)
        if good:
            right += 1
        else:
            wrong.append(f"{proposal.title} ({proposal.start_date}–{proposal.end_date})")
    count = len(proposals.activities)
    result.scores["activities"] = Score(len(found), len(expected), 0, 0)
    result.scores["activity dates"] = Score(len(dated), len(expected), right, count)
    result.misses["activities"] = [
        f"{title} ({period.start}–{period.end}, {period.precision})"
        for i, (title, period, _) in enumerate(expected)
        if i not in dated
    ]
    result.wrong["activities"] = wrong


def compare_pairs(result, proposals: Proposals, expected_sets: list[set]) -> None:
    expected_pairs = {
        frozenset(pair)
        for members in expected_sets
        for pair in itertools.combinations(sorted(members), 2)
    }
    proposed_pairs, right, wrong = set(), 0, []
    for proposal in proposals.pairings:
        member_keys = [ref_keys(p.city, p.choices) for p in proposal.participants]
        pairs = set()
        for first, second in itertools.combinations(member_keys, 2):
            matching = [
                frozenset((a, b))
                for a in first
                for b in second
                if frozenset((a, b)) in expected_pairs
            ]
            pairs.add(matching[0] if matching else frozenset((min(first), min(second))))
        proposed_pairs |= pairs
        good = len(pairs & expected_pairs)
        if pairs and good * 2 >= len(pairs):
            right += 1
        else:
            wrong.append(" – ".join(p.name for p in proposal.participants))
    found = expected_pairs & proposed_pairs
    result.scores["city pairs"] = Score(
        len(found), len(expected_pairs), right, len(proposals.pairings)
    )
    result.misses["city pairs"] = [
        " – ".join(sorted(str(k[1]) for k in pair)) for pair in expected_pairs - found
    ]
    result.wrong["city pairs"] = wrong


def compare_memberships(result, proposals: Proposals, expected: dict) -> None:
    found, right, wrong = set(), 0, []
    for proposal in proposals.memberships:
        keys = ref_keys(proposal.member_city) | {("name", compact(proposal.member_name))}
        hits = keys & set(expected)
        found |= hits
        right += bool(hits)
        if not hits:
            wrong.append(proposal.member_name)
    result.scores["memberships"] = Score(
        len(found), len(expected), right, len(proposals.memberships)
    )
    result.misses["memberships"] = sorted(v for k, v in expected.items() if k not in found)
    result.wrong["memberships"] = wrong


def evaluate(registry: Registry | None = None) -> Evaluation:
    """Run intake on every seed document against ``registry`` (empty: gazetteer only)."""
    from imports.seed.read import read_fixtures

    data = read_fixtures()
    registry = registry or Registry()
    documents = []
    for slug, source in sorted(data.sources.items(), key=lambda item: item[1]["seed_file"]):
        documents.append(evaluate_document(source["seed_file"], slug, data, registry))
    return Evaluation(documents)


# --------------------------------------------------------------------------- report


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def report(evaluation: Evaluation, *, details: bool = False) -> str:
    """Return the figures as a Markdown table (and, with ``details``, what was missed)."""
    header = "| document | " + " | ".join(KINDS) + " | proposals right |"
    lines = [header, "|" + " --- |" * (len(KINDS) + 2)]
    rows = [(d.seed_file, d.scores, d.proposals_right) for d in evaluation.documents]
    rows.append(
        ("**all five**", {k: evaluation.total(k) for k in KINDS}, evaluation.proposals_right)
    )
    for name, scores, right in rows:
        cells = []
        for kind in KINDS:
            score = scores[kind]
            cells.append(
                f"{percent(score.recall)} ({score.found}/{score.expected})"
                + (f", {percent(score.precision)} right" if score.proposed else "")
            )
        cells.append(f"{percent(right.precision)} ({right.right}/{right.proposed})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if details:
        for document in evaluation.documents:
            lines.append(f"\n## {document.seed_file}")
            for kind, missed in document.misses.items():
                if missed:
                    lines.append(f"- missed {kind}: {', '.join(missed)}")
            for kind, wrong in document.wrong.items():
                if wrong:
                    lines.append(f"- wrong {kind}: {', '.join(wrong)}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citypairing.settings")
    import django

    django.setup()
    print(report(evaluate(), details="--details" in argv))


if __name__ == "__main__":
    main(sys.argv[1:])
