"""Finding quotes: whitespace, hyphenation, case and OCR slips ignored; closest passage."""

from sources.extract import ExtractedText, Locator
from sources.quotes import QuoteFinder, find_quote

DOCUMENT = ExtractedText(
    pages=[
        "First page\nsecond line",
        "Benchmarking Workshop in\nKobe to foster learning and knowledge-\nsharing opportu-\n"
        "nities between ILOILO and lloilo.",
    ]
)


def test_quote_across_line_break_is_found_with_page_and_line():
    match = find_quote(DOCUMENT, "Workshop in Kobe")
    assert match.found
    assert match.locator == Locator(page=2, line=1)
    assert match.passage == "Workshop in\nKobe"


def test_hyphenation_at_line_ends_is_ignored_both_ways():
    assert find_quote(DOCUMENT, "knowledgesharing opportunities").found
    assert find_quote(DOCUMENT, "knowledge-sharing opportunities").locator == Locator(2, 2)


def test_case_and_ocr_letter_slips_are_ignored():
    match = find_quote(DOCUMENT, "between Iloilo and Iloilo")
    assert match.found
    assert match.passage == "between ILOILO and lloilo"


def test_missing_quote_returns_the_closest_passage():
    match = find_quote(DOCUMENT, "opportunities between Manila")
    assert not match.found
    assert "between ILOILO" in match.passage
    assert match.locator.page == 2
    assert 50 < match.score < 100


def test_unrelated_quote_has_no_closest_passage():
    match = QuoteFinder(DOCUMENT).find("zzzz qqqq xxxx")
    assert not match.found
    assert match.passage == ""


def test_locate_counts_pages_and_lines():
    text = DOCUMENT.text
    assert DOCUMENT.locate(0) == Locator(1, 1)
    assert DOCUMENT.locate(text.index("second")) == Locator(1, 2)
    assert DOCUMENT.locate(text.index("Kobe")) == Locator(2, 2)
