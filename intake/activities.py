"""Find dated activities: workshops, visits, meetings, signings… with the dates the text gives.

Three kinds of evidence make an activity: a heading that names an event ("Benchmarking
Workshop on Disaster Management in Kobe") with the section under it, a list item that
names one with its date ("- Study visits (May 2026)"), and a sentence that names one with
an explicit date ("… co-organised the City Pairing Planning Workshop in Bangkok"). An event
the text gives no date for takes the document's year, flagged as inferred.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from activities.choices import ActivityKind
from core.dates import DatePrecision, period_end
from intake.dates import DateMention
from intake.segments import BULLET, Segments, Unit

# Words that name an event, and its kind. The earliest one in a title decides.
KIND_WORDS = [
    (
        r"study (?:visit|tour)s?|site visits?|field visits?|exchange visits?|outreach visits?|"
        r"visits?|delegations?|missions?",
        ActivityKind.STUDY_VISIT,
    ),
    (
        r"peer[- ]to[- ]peer(?: exchanges?)?|peer exchanges?|technology exchanges?|exchanges? "
        r"programmes?",
        ActivityKind.PEER_EXCHANGE,
    ),
    (
        r"trainings?|training programmes?|courses?|masterclass(?:es)?|leadership programmes?|"
        r"bootcamps?",
        ActivityKind.TRAINING,
    ),
    (r"workshops?|seminars?|webinars?|clinics?", ActivityKind.WORKSHOP),
    (
        r"conferences?|forums?|summits?|congress(?:es)?|expos?|symposi(?:um|a)|sessions?|"
        r"fairs?|festivals?|assembl(?:y|ies)|conventions?|excom",
        ActivityKind.CONFERENCE,
    ),
    (r"meetings?|dialogues?|round ?tables?|consultations?|talks", ActivityKind.MEETING),
    (
        r"memorandum of understanding|mou|letter of intent|agreements?|signing",
        ActivityKind.AGREEMENT,
    ),
    (r"integration into [\w ]{0,30}plans?", ActivityKind.PLAN_INTEGRATION),
    (r"awards?|prizes?", ActivityKind.AWARD),
    (r"launch(?:ed|es)?|booths?|ceremon(?:y|ies)|celebrations?", ActivityKind.OTHER),
]
KIND_RE = re.compile(
    "|".join(f"(?P<k{number}>\\b(?:{words})\\b)" for number, (words, _) in enumerate(KIND_WORDS)),
    re.IGNORECASE,
)
ONLINE = re.compile(r"\bonline|virtual|webinar", re.IGNORECASE)
ORGANISING = re.compile(
    r"\b(?:organi[sz]ed|held|hosted|convened|conducted|took place|co-?organi[sz]ed|"
    r"launched|visited|attended|participated|signed)\b",
    re.IGNORECASE,
)
DURATION = re.compile(r"\b(two|three|four|five|2|3|4|5)-day\b", re.IGNORECASE)
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
YEAR_NEAR_WORDS = 4  # a lone year counts for an event only this close to its name


@dataclass
class ActivityFinding:
    """An activity the text describes, with its date and where it is said."""

    title: str
    kind: str
    date: DateMention | None
    start: datetime.date
    end: datetime.date
    precision: str
    inferred_year: bool
    quote_start: int
    quote_end: int
    spans: list[tuple[int, int]] = field(default_factory=list)  # all the text it rests on
    scope: tuple[int, int] = (0, 0)  # where its cities and organisers are looked for
    how: str = ""


def kind_of(title: str) -> str | None:
    """Return the kind of event a phrase names, from its earliest event word."""
    matches = list(KIND_RE.finditer(title))
    if not matches:
        return None
    kinds = [
        (next(KIND_WORDS[int(n[1:])][1] for n, v in m.groupdict().items() if v), m) for m in matches
    ]
    # "launched … with its first workshop": the specific kind beats "other".
    kind, match = next(((k, m) for k, m in kinds if k != ActivityKind.OTHER), kinds[0])
    word = match.group().casefold()
    if ONLINE.search(title) and kind in (ActivityKind.MEETING, ActivityKind.CONFERENCE):
        return ActivityKind.ONLINE_CONSULTATION
    if word.startswith("consultation") and ONLINE.search(title):
        return ActivityKind.ONLINE_CONSULTATION
    return kind


# The name of an event another paragraph dates: an acronym with its edition ("APUF-8",
# "COP-28") or a high ordinal ("43rd", "12th"; low ones name too many things).
EVENT_NAME = re.compile(r"\b(?:[A-Z]{2,}[A-Za-z]*-\d+|[1-9]\d+(?:st|nd|rd|th|ST|ND|RD|TH))\b")


class ActivityFinder:
    """Find the activities of one text."""

    def __init__(self, text: str, segments: Segments, dates: list[DateMention], year: int | None):
        self.text = text
        self.segments = segments
        self.dates = dates
        self.year = year

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        return [d for d in self.dates if start <= d.start_offset and d.end_offset <= end]

    def find(self) -> list[ActivityFinding]:
        found = self.from_headings()
        covered = [(f.scope, f) for f in found]
        for finding in [*self.from_list_items(), *self.from_sentences()]:
            inside = [f for (s, e), f in covered if s <= finding.quote_start < e]
            if any(f.start == finding.start and f.end == finding.end for f in inside):
                continue
            if any(
                a < finding.quote_end and finding.quote_start < b
                for a, b in (span for f in found for span in f.spans)
            ):
                continue
            found.append(finding)
        return merge_repeats(found)

    # ------------------------------------------------------------------ evidence

    def from_headings(self) -> list[ActivityFinding]:
        """Return an activity per heading that names an event (or whose section does)."""
        found = []
        for heading, body in self.segments.blocks:
            sentences = [s for s in self.segments.sentences if body.start <= s.start < body.end]
            first = sentences[0] if sentences else None
            kind = kind_of(heading.text)
            how = "a heading that names an event"
            if first is not None and (kind is None or kind == ActivityKind.OTHER):
                sentence_kind = kind_of(first.text)
                if sentence_kind and ORGANISING.search(first.text):
                    kind, how = sentence_kind, "a section that opens on an event"
            if kind is None:
                continue
            date = best_date(self.dates_in(heading.start, heading.end))
            for sentence in sentences[:3] if date is None else ():
                # The section's own date comes first; a lone year in its prose is no date.
                explicit = [
                    d for d in self.dates_in(sentence.start, sentence.end) if not d.is_bare_year
                ]
                if explicit:
                    date = best_date(explicit)
                    break
            finding = self._finding(
                heading.text, kind, date, heading, first or heading, how, (heading.start, body.end)
            )
            if finding is not None:
                found.append(finding)
        return found

    def from_list_items(self) -> list[ActivityFinding]:
        """Return an activity per list item that names an event with a date."""
        found = []
        for line in self.segments.lines:
            if not BULLET.match(line.text):
                continue
            kind = kind_of(line.text)
            dates = [d for d in self.dates_in(line.start, line.end) if not d.is_bare_year]
            if kind is None or not dates:
                continue
            title = BULLET.sub("", line.text)
            title = re.sub(r"\s*\([^)]*\)\s*$", "", title).strip() or title
            finding = self._finding(
                title, kind, dates[0], line, line, "a dated list item", (line.start, line.end)
            )
            if finding is not None:
                found.append(finding)
        return found

    def from_sentences(self) -> list[ActivityFinding]:
        """Return an activity per sentence that names an event with an explicit date."""
        found = []
        for sentence in self.segments.sentences:
            if BULLET.match(sentence.text):
                continue
            match = KIND_RE.search(sentence.text)
            if match is None:
                continue
            dates = [
                d
                for d in self.dates_in(sentence.start, sentence.end)
                if not d.is_bare_year or self._year_names_event(d, sentence, match)
            ]
            if not dates:
                continue
            kind = kind_of(sentence.text[match.start() :]) or kind_of(sentence.text)
            title = event_name(sentence.text, match) or sentence.text
            finding = self._finding(
                title,
                kind,
                best_date(dates),
                sentence,
                sentence,
                "a sentence that names an event with its date",
                (sentence.start, sentence.end),
            )
            if finding is not None:
                found.append(finding)
        return found

    def _year_names_event(self, date: DateMention, sentence: Unit, match) -> bool:
        """Return True for "the 2022 Congress", "Career Fair 2023": a year in the name."""
        event = sentence.start + match.start()
        between = self.text[min(date.end_offset, event) : max(date.start_offset, event)]
        return len(between.split()) <= YEAR_NEAR_WORDS

    def _date_of_named_event(self, title: str) -> tuple[DateMention, str] | None:
        """Return the date of the event an undated activity belongs to, and its name.

        "CityNet booth at APUF-8", "Seoul Night at the 43rd ExCom": the report dates the
        forum or the meeting in another paragraph ("APUF-8 … on October 25, 2023", "On 23
        October 2023 … the 43rd Executive Committee"), the side event only by its name.
        """
        for name in EVENT_NAME.findall(title):
            pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
            for date in self.dates:
                if date.precision == DatePrecision.YEAR or date.inferred_year:
                    continue
                first = self.text.rfind("\n", 0, date.start_offset) + 1
                last = self.text.find("\n", date.end_offset)
                paragraph = self.text[first : last if last != -1 else len(self.text)]
                if pattern.search(paragraph):
                    return date, name
        return None

    def _finding(self, title, kind, date, anchor: Unit, quote: Unit, how, scope, by_name=True):
        title = " ".join(title.split())
        if date is None and by_name and (named := self._date_of_named_event(title)) is not None:
            event_date, name = named
            # Within the event it belongs to: its month, as the text does not give the day.
            start = event_date.start.replace(day=1)
            finding = self._finding(title, kind, None, anchor, quote, how, scope, by_name=False)
            if finding is not None:
                finding.start, finding.end = start, period_end(start, DatePrecision.MONTH)
                finding.precision, finding.inferred_year = DatePrecision.MONTH, False
                finding.how = f"{how}; dated by the event it belongs to ({name}: {event_date.text})"
            return finding
        if date is None:
            if self.year is None:
                return None
            start, end = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
            precision, inferred = DatePrecision.YEAR, True
            how += f"; no date given, so the document's year ({self.year})"
        else:
            start, end, precision, inferred = (
                date.start,
                date.end,
                date.precision,
                (date.inferred_year),
            )
            end = self._extend_by_duration(start, end, precision, scope)
        spans = [(anchor.start, anchor.end), (quote.start, quote.end)]
        if date is not None:
            spans.append((date.start_offset, date.end_offset))
        return ActivityFinding(
            title=title[:200],
            kind=kind,
            date=date,
            start=start,
            end=end,
            precision=precision,
            inferred_year=inferred,
            quote_start=quote.start,
            quote_end=quote.end,
            spans=spans,
            scope=scope,
            how=how,
        )

    def _extend_by_duration(self, start, end, precision, scope) -> datetime.date:
        """Give a one-day date the length the text states ("the two-day workshop")."""
        if precision != DatePrecision.DAY or start != end:
            return end
        window = self.text[scope[0] : scope[1] + 600]  # the next lines may say how long
        duration = DURATION.search(window)
        if duration is None:
            return end
        word = duration.group(1).casefold()
        days = NUMBERS.get(word) or int(word)
        return start + datetime.timedelta(days=days - 1)


def best_date(dates: list[DateMention]) -> DateMention | None:
    """Return the first date the text gives (a lone year only when there is no other)."""
    ranked = sorted(dates, key=lambda d: (d.is_bare_year, d.start_offset))
    return ranked[0] if ranked else None


def event_name(sentence: str, match) -> str | None:
    """Return the capitalised event name around an event word ("City Pairing … Workshop")."""
    words_before = re.findall(r"(?:[A-Z0-9][\w'’&-]*\s+)+$", sentence[: match.start()])
    head = sentence[match.start() : match.end()]
    if not head[0].isupper():
        return None
    name = (words_before[0] if words_before else "") + head
    tail = re.match(
        r"(?:\s+(?:on|of|for|in|at)\s+(?:the\s+)?[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*)?",
        sentence[match.end() :],
    )
    return (name + (tail.group() if tail else "")).strip()


def merge_repeats(found: list[ActivityFinding]) -> list[ActivityFinding]:
    """Merge activities named twice (a heading in the contents and the section itself)."""
    from rapidfuzz import fuzz

    kept: list[ActivityFinding] = []
    for finding in found:
        twin = next(
            (
                k
                for k in kept
                if fuzz.token_set_ratio(k.title.casefold(), finding.title.casefold()) >= 90
                and k.start.year == finding.start.year
            ),
            None,
        )
        if twin is None:
            kept.append(finding)
            continue
        twin.spans.extend(finding.spans)
        if precision_rank(finding) > precision_rank(twin):
            twin.start, twin.end = finding.start, finding.end
            twin.precision, twin.inferred_year, twin.date = (
                finding.precision,
                finding.inferred_year,
                finding.date,
            )
    return sorted(kept, key=lambda f: f.quote_start)


def precision_rank(finding: ActivityFinding) -> tuple:
    order = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
    return (finding.date is not None, order[finding.precision], not finding.inferred_year)
