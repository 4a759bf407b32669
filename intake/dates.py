"""Find the dates and periods a document gives for its activities.

"20th to 23rd of June 2022", "March–April 2026", "from March 13 to 16, 2023", "29-30 January
2026", "9 July 2018", "June 2023", "2025–2026", "Q1 2026", and "18 March" with no year: each
becomes a ``DateMention`` with its first and last day, its precision (the project's
``DatePrecision``: day, month or year) and the span of text it was read from. A year the
text leaves out is inferred from the document (the nearest year in the same paragraph, else
the year the document is mostly about) and flagged ``inferred_year``.

A grammar of our own: ranges ("29-30 January") are beyond single-date parsers.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter
from dataclasses import dataclass

from core.dates import DatePrecision, period_end, period_start

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}

# "May" is a month only when capitalised; other months in any case but with a capital in
# running text, so "march" (the verb) is not read as a month.
_MONTH_WORDS = "|".join(
    sorted([*(m.capitalize() for m in MONTHS), *(m.upper() for m in MONTHS)], key=len, reverse=True)
)
_MONTH_ABBR = "|".join(
    a.capitalize() for a in sorted(MONTH_ABBREVIATIONS, key=len, reverse=True) if a != "may"
)
MONTH = rf"(?:{_MONTH_WORDS}|(?:{_MONTH_ABBR})\.?)(?![a-z])"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|ST|ND|RD|TH)?(?!\d)"
YEAR = r"(?:19[5-9]\d|20\d\d)(?!\d)"
DASH = r"\s*(?:-|–|—|−|~|to|until|till|through|and)\s*"
OF = r"(?:\s+of)?\s+"
COMMA = r",?\s*"

# Each pattern names its parts: d1 m1 y1 (start), d2 m2 y2 (end); missing parts are shared.
PATTERNS = [
    # 20th of June 2022 to 2nd of July 2022 / 29 January – 2 February 2026
    rf"(?P<d1>{DAY}){OF}(?P<m1>{MONTH})(?:{COMMA}(?P<y1>{YEAR}))?{DASH}(?P<d2>{DAY}){OF}"
    rf"(?P<m2>{MONTH})(?:{COMMA}(?P<y2>{YEAR}))?",
    # March 30, 2023 – April 2, 2023 / July 09 - July 15
    rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:{COMMA}(?P<y1>{YEAR}))?{DASH}(?P<m2>{MONTH})\s+"
    rf"(?P<d2>{DAY})(?:{COMMA}(?P<y2>{YEAR}))?",
    # 20th to 23rd of June 2022 / 29-30 January 2026 / 23-25 May
    rf"(?P<d1>{DAY}){DASH}(?P<d2>{DAY}){OF}(?P<m1>{MONTH})(?:{COMMA}(?P<y1>{YEAR}))?",
    # January 29-30, 2026 / March 13 to 16, 2023
    rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY}){DASH}(?P<d2>{DAY})(?:{COMMA}(?P<y1>{YEAR}))?",
    # November 2025 – February 2026
    rf"(?P<m1>{MONTH}){COMMA}(?P<y1>{YEAR}){DASH}(?P<m2>{MONTH}){COMMA}(?P<y2>{YEAR})",
    # March–April 2026 / from February to March
    rf"(?P<m1>{MONTH}){DASH}(?P<m2>{MONTH})(?:{COMMA}(?P<y1>{YEAR}))?",
    # 9 July 2018 / 18 March / 7th April 2015
    rf"(?P<d1>{DAY}){OF}(?P<m1>{MONTH})(?:{COMMA}(?P<y1>{YEAR}))?",
    # October 25, 2023 / June 7 / October 23rd
    rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:{COMMA}(?P<y1>{YEAR}))?",
    # 2026-03-18
    r"(?P<iso>(?P<y1>(?:19|20)\d\d)-(?P<mn>[01]\d)-(?P<dn>[0-3]\d))(?!\d)",
    # Q1 2026 / first half of 2026
    rf"(?P<q>Q[1-4]|H[12]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+"
    rf"(?:quarter|half))(?:\s+of)?\s+(?P<y1>{YEAR})",
    # June 2023
    rf"(?P<m1>{MONTH}){COMMA}(?P<y1>{YEAR})",
    # 2025–2026 / 2024-26
    rf"(?P<y1>{YEAR})\s*(?:-|–|—|to|until)\s*(?P<y2>{YEAR}|\d\d(?!\d))",
    # 2023
    rf"(?<![\d.,/-])(?P<y1>{YEAR})(?![.,/]\d)",
]
# Named groups repeat across alternatives: each is compiled alone, and a group-free union
# finds where the next date may start.
_COMPILED = [re.compile(p) for p in PATTERNS]
_GROUP_NAME = re.compile(r"\?P<\w+>")
_ANY = re.compile("|".join("(?:" + _GROUP_NAME.sub("", p) + ")" for p in PATTERNS))

ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
TARGET_YEAR_RE = re.compile(
    r"\b(?:by|since|until|before|towards?|beyond|from|in the year)\s+$", re.I
)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\f")


@dataclass(frozen=True)
class DateMention:
    """A date or period in a text, as precisely as the text gives it."""

    start: datetime.date
    end: datetime.date
    precision: str
    inferred_year: bool
    start_offset: int
    end_offset: int
    text: str

    @property
    def is_bare_year(self) -> bool:
        """Return True for a lone year ("2023"), the weakest kind of date."""
        return self.precision == DatePrecision.YEAR and self.start.year == self.end.year


def month_number(word: str) -> int:
    """Return 1–12 for a month name or abbreviation ("Sept.", "JUNE")."""
    key = word.rstrip(".").casefold()
    return MONTHS.get(key) or MONTH_ABBREVIATIONS.get(key) or MONTH_ABBREVIATIONS[key[:3]]


def day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return datetime.date(year, month, day)


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMention]:
    """Return every date and period in ``text``, in order, without overlaps.

    ``default_year`` is used for a date without a year when its paragraph names none
    (``document_year`` gives a good one); without it such a date is dropped.
    """
    mentions = []
    position = 0
    while True:
        found = _ANY.search(text, position)
        if found is None:
            break
        mention = _read(text, found.start(), default_year)
        if mention is None:
            # Not a real date ("31 February"): skip its shortest reading, not just one digit.
            ends = [m.end() for m in (p.match(text, found.start()) for p in _COMPILED) if m]
            position = max(min(ends, default=found.end()), found.start() + 1)
            continue
        mentions.append(mention)
        position = mention.end_offset
    return mentions


def _read(text: str, start: int, default_year: int | None) -> DateMention | None:
    """Read the longest date pattern at ``start`` that makes a real date."""
    matches = [m for m in (pattern.match(text, start) for pattern in _COMPILED) if m]
    for match in sorted(matches, key=lambda m: -m.end()):
        parts = {k: v for k, v in match.groupdict().items() if v}
        if set(parts) == {"y1"} and _is_horizon(text, start):
            return None  # "by 2050", "since 1987": a horizon, not an activity's date
        mention = _build(parts, text, match.start(), match.end(), default_year)
        if mention is not None:
            return mention
    return None


def _build(parts: dict, text: str, start: int, end: int, default_year: int | None):
    """Turn the named parts of a match into a DateMention, or None if it is no real date."""
    span = text[start:end]
    inferred = False
    if "iso" in parts:
        date = (
            _safe_date(int(parts["y1"]), int(parts["mn"]), int(parts["dn"]))
            if 1 <= int(parts["mn"]) <= 12
            else None
        )
        if date is None:
            return None
        return DateMention(date, date, DatePrecision.DAY, False, start, end, span)
    if "q" in parts:
        year = int(parts["y1"])
        quarter = parts["q"]
        if quarter[0] in "QH" and quarter[1:].isdigit():
            number, size = int(quarter[1:]), 3 if quarter[0] == "Q" else 6
        else:
            word, unit = quarter.split()
            number, size = ORDINAL_WORDS.get(word.casefold(), 4), 3 if unit == "quarter" else 6
        first_month = (number - 1) * size + 1
        first = datetime.date(year, first_month, 1)
        last = period_end(datetime.date(year, first_month + size - 1, 1), DatePrecision.MONTH)
        return DateMention(first, last, DatePrecision.MONTH, False, start, end, span)
    year1 = int(parts["y1"]) if "y1" in parts else None
    year2 = parts.get("y2")
    if year2 is not None:
        year2 = int(year2) if len(year2) == 4 else (year1 // 100) * 100 + int(year2)
    if "m1" not in parts:  # years only
        last_year = year2 or year1
        if last_year < year1 or last_year - year1 > 50:
            return None
        return DateMention(
            datetime.date(year1, 1, 1),
            datetime.date(last_year, 12, 31),
            DatePrecision.YEAR,
            False,
            start,
            end,
            span,
        )
    month1 = month_number(parts["m1"])
    month2 = month_number(parts["m2"]) if "m2" in parts else month1
    day1 = day_number(parts["d1"]) if "d1" in parts else None
    day2 = day_number(parts["d2"]) if "d2" in parts else day1
    end_year = year2 or year1
    start_year = year1 if (year1 and year2) else end_year
    if end_year is None:
        end_year = paragraph_year(text, start, end) or default_year
        if end_year is None:
            return None
        inferred = True
        start_year = end_year
    if start_year == end_year and (month2, day2 or 0) < (month1, day1 or 0):
        start_year = end_year - 1  # "December – February 2026" starts the year before
    precision = DatePrecision.DAY if day1 else DatePrecision.MONTH
    if day1:
        first = _safe_date(start_year, month1, day1)
        last = _safe_date(end_year, month2, day2)
        if first is None or last is None:
            return None
    else:
        first = period_start(datetime.date(start_year, month1, 1), precision)
        last = period_end(datetime.date(end_year, month2, 1), precision)
    if last < first or (last - first).days > 800:
        return None
    return DateMention(first, last, precision, inferred, start, end, span)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the start and end offsets of the paragraph around ``start``–``end``."""
    before = [m.end() for m in PARAGRAPH_BREAK.finditer(text, 0, start)]
    after = PARAGRAPH_BREAK.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


YEAR_RE = re.compile(rf"(?<![\d.,/-])({YEAR})(?:\s*[-–—]\s*{YEAR})?")
NEARBY = 600  # characters: how far a yearless date looks for its year in its paragraph


def paragraph_year(text: str, start: int, end: int) -> int | None:
    """Return the year nearest a yearless date in its paragraph (before it, else after).

    A range of years counts as its first year: "(2025–2026) … launched on 18 March".
    """
    first, last = paragraph_bounds(text, start, end)
    first, last = max(first, start - NEARBY), min(last, end + NEARBY)
    before = [m for m in YEAR_RE.finditer(text, first, start) if not _is_horizon(text, m.start())]
    if before:
        return int(before[-1].group(1))
    after = [m for m in YEAR_RE.finditer(text, end, last) if not _is_horizon(text, m.start())]
    return int(after[0].group(1)) if after else None


def _is_horizon(text: str, offset: int) -> bool:
    return bool(TARGET_YEAR_RE.search(text[max(0, offset - 15) : offset]))


def document_year(text: str) -> int | None:
    """Return the year a document is mostly about: the commonest year of its dates.

    Dates with a month or day count double; horizons ("by 2050", "since 1987") and dates
    whose year is itself inferred do not count. A tie goes to the earliest year: a period
    begins in its first year.
    """
    counts: Counter[int] = Counter()
    for mention in find_dates(text):
        if mention.inferred_year:
            continue
        weight = 1 if mention.precision == DatePrecision.YEAR else 2
        counts[mention.start.year] += weight
        if mention.end.year != mention.start.year:
            counts[mention.end.year] += weight
    if not counts:
        return None
    best = max(counts.values())
    return min(year for year, count in counts.items() if count == best)
