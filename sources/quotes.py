"""Find a quote in a document's text the way a reader would.

A quote counts as in the text when it matches ignoring whitespace and line breaks,
hyphens (so "opportu-\\nnities", "city-to-\\ncity" and "knowledge-sharing" match their
unbroken spellings), case, typographic quotes and dashes, and the letters OCR mixes up
(I, l, 1 and |). The match is reported as offsets into the original text and a locator
(page and line); a quote that is not there comes back with the closest passage.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from sources.extract import ExtractedText, Locator

# Characters OCR confuses or typography varies, read as one.
EQUIVALENT = str.maketrans(
    {
        "i": "l",
        "1": "l",
        "|": "l",
        "!": "l",
        "‘": "'",
        "’": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
    }
)
IGNORED = frozenset("-‐‑‒–—−\u00ad")  # hyphens and dashes: in words, at line ends, between items
MIN_CLOSEST_SCORE = 50.0  # below this the "closest passage" is noise, not worth showing


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote is in a text, or the closest passage when it is not there."""

    found: bool
    start: int | None = None
    end: int | None = None
    locator: Locator | None = None
    passage: str = ""  # the text as the document has it (the match, or the closest passage)
    score: float = 0.0  # 100 for a match; rapidfuzz's partial ratio for the closest passage


def normalize_char(char: str) -> str:
    """Return what one character counts as in comparisons ("" when it is ignored)."""
    if char.isspace() or char in IGNORED:
        return ""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return kept.translate(EQUIVALENT)


def normalize(text: str) -> str:
    """Return ``text`` as quotes are compared: no spaces, hyphens, case or accents."""
    return "".join(normalize_char(char) for char in text)


class QuoteFinder:
    """A document's text prepared for finding quotes in it (build once, ask many times)."""

    def __init__(self, document: ExtractedText):
        self.document = document

    @cached_property
    def _normalized(self) -> tuple[str, list[int]]:
        """Return the normalised text and, per normalised character, its original offset."""
        chars, offsets = [], []
        for offset, char in enumerate(self.document.text):
            for piece in normalize_char(char):
                chars.append(piece)
                offsets.append(offset)
        return "".join(chars), offsets

    def find(self, quote: str) -> QuoteMatch:
        """Return where ``quote`` is in the document, or the closest passage to it."""
        needle = normalize(quote)
        if not needle:
            return QuoteMatch(found=False)
        haystack, offsets = self._normalized
        index = haystack.find(needle)
        if index != -1:
            return self._match(True, index, index + len(needle), 100.0)
        return self.closest(needle)

    def closest(self, needle: str) -> QuoteMatch:
        """Return the passage that best aligns with a normalised quote."""
        haystack, _ = self._normalized
        if not haystack:
            return QuoteMatch(found=False)
        alignment = fuzz.partial_ratio_alignment(needle, haystack)
        if alignment is None or alignment.score < MIN_CLOSEST_SCORE:
            return QuoteMatch(found=False, score=alignment.score if alignment else 0.0)
        return self._match(False, alignment.dest_start, alignment.dest_end, alignment.score)

    def _match(self, found: bool, start: int, end: int, score: float) -> QuoteMatch:
        _, offsets = self._normalized
        first = offsets[start]
        last = offsets[max(start, end - 1)] + 1
        if not found:  # show whole words, not an alignment's cut-off ends
            text = self.document.text
            while first > 0 and not text[first - 1].isspace():
                first -= 1
            while last < len(text) and not text[last].isspace():
                last += 1
        return QuoteMatch(
            found=found,
            start=first,
            end=last,
            locator=self.document.locate(first),
            passage=self.document.text[first:last],
            score=round(score, 1),
        )


def find_quote(document: ExtractedText, quote: str) -> QuoteMatch:
    """Return where ``quote`` is in ``document`` (see ``QuoteFinder`` to ask many times)."""
    return QuoteFinder(document).find(quote)
