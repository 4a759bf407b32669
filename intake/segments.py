"""Cut a document's text into the units intake reads: lines, paragraphs, sentences, blocks.

Every unit keeps its offsets into the text, so whatever is found in it can be quoted
verbatim and located (page, line). PDF text wraps sentences over several lines and runs
headings into paragraphs; these rules undo that well enough for evidence to stay local.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

BULLET = re.compile(r"^\s*(?:[-–•*●▪◦]|\d{1,2}[.)])\s+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"')\]]?\s+(?=[A-Z“\"'(\d•-])")
TERMINAL = (".", "!", "?", ":", ";", "…", "|")
MAX_HEADING_WORDS = 14


@dataclass(frozen=True)
class Unit:
    """A stretch of the text: its offsets and its content as the document has it."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def _trimmed(text: str, start: int, end: int) -> Unit | None:
    """Return the unit without surrounding whitespace, or None when it is blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Unit(start, end, text[start:end]) if end > start else None


class Segments:
    """The units of one text, computed once."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def lines(self) -> list[Unit]:
        units, start = [], 0
        for match in re.finditer(r"[\n\f]", self.text + "\n"):
            unit = _trimmed(self.text, start, match.start())
            if unit:
                units.append(unit)
            start = match.end()
        return units

    @cached_property
    def paragraphs(self) -> list[Unit]:
        """Return runs of lines between blank lines (and page breaks)."""
        units, start = [], 0
        for match in re.finditer(r"\n[ \t]*\n\s*|\f", self.text + "\n\n"):
            unit = _trimmed(self.text, start, match.start())
            if unit:
                units.append(unit)
            start = match.end()
        return units

    @cached_property
    def sentences(self) -> list[Unit]:
        """Return sentences: wrapped lines joined, headings and list items kept apart."""
        units = []
        for paragraph in self.paragraphs:
            units.extend(self._sentences_of(paragraph))
        return units

    def _sentences_of(self, paragraph: Unit) -> list[Unit]:
        pieces, start = [], paragraph.start
        starts = [line.start for line in self.lines]
        first = bisect.bisect_left(starts, paragraph.start)
        last = bisect.bisect_left(starts, paragraph.end)
        lines = self.lines[first:last]
        for line, following in zip(lines, lines[1:], strict=False):
            if (
                line.text.endswith(TERMINAL)
                or BULLET.match(following.text)
                or (is_heading_like(line.text) and following.words > line.words)
            ):
                pieces.append((start, line.end))
                start = following.start
        pieces.append((start, paragraph.end))
        units = []
        for first, last in pieces:
            chunk = self.text[first:last]
            cut = first
            for match in SENTENCE_END.finditer(chunk):
                unit = _trimmed(self.text, cut, first + match.start())
                if unit:
                    units.append(unit)
                cut = first + match.end()
            unit = _trimmed(self.text, cut, last)
            if unit:
                units.append(unit)
        return units

    @cached_property
    def headings(self) -> list[Unit]:
        """Return one-line paragraphs that read as headings."""
        return [p for p in self.paragraphs if "\n" not in p.text and is_heading_like(p.text)]

    def sentence_at(self, offset: int) -> Unit | None:
        return _containing(self.sentences, offset)

    def paragraph_at(self, offset: int) -> Unit | None:
        return _containing(self.paragraphs, offset)

    def line_at(self, offset: int) -> Unit | None:
        return _containing(self.lines, offset)

    @cached_property
    def blocks(self) -> list[tuple[Unit, Unit]]:
        """Return (heading, body) pairs: a heading and the text up to the next heading."""
        headings = self.headings
        blocks = []
        for heading, following in zip(headings, [*headings[1:], None], strict=False):
            end = following.start if following else len(self.text)
            body = _trimmed(self.text, heading.end, end)
            if body is not None:
                blocks.append((heading, body))
        return blocks


def _containing(units: list[Unit], offset: int) -> Unit | None:
    index = bisect.bisect_right([unit.start for unit in units], offset) - 1
    if index >= 0 and units[index].start <= offset < units[index].end:
        return units[index]
    return None


def is_heading_like(text: str) -> bool:
    """Return True for a short line without a full stop that starts with a capital."""
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or text.endswith((".", ",", ";", ":")):
        return False
    first = text.lstrip("0123456789.#-–•* \t")
    return bool(first) and (first[0].isupper() or first[0].isdigit())
