"""The date grammar: ranges, precision, inferred years, horizons."""

import datetime

import pytest

from core.dates import DatePrecision
from intake.dates import document_year, find_dates

D = datetime.date
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("20th to 23rd of June 2022", D(2022, 6, 20), D(2022, 6, 23), DAY),
        ("March–April 2026", D(2026, 3, 1), D(2026, 4, 30), MONTH),
        ("from March 13 to 16, 2023", D(2023, 3, 13), D(2023, 3, 16), DAY),
        ("29-30 January 2026", D(2026, 1, 29), D(2026, 1, 30), DAY),
        ("January 29-30, 2026 | UCLG ASPAC", D(2026, 1, 29), D(2026, 1, 30), DAY),
        ("9 July 2018", D(2018, 7, 9), D(2018, 7, 9), DAY),
        ("7th April 2015", D(2015, 4, 7), D(2015, 4, 7), DAY),
        ("on October 25, 2023.", D(2023, 10, 25), D(2023, 10, 25), DAY),
        ("June 2023", D(2023, 6, 1), D(2023, 6, 30), MONTH),
        ("a two-year initiative (2025–2026)", D(2025, 1, 1), D(2026, 12, 31), YEAR),
        ("Q1 2026", D(2026, 1, 1), D(2026, 3, 31), MONTH),
        ("the second half of 2026", D(2026, 7, 1), D(2026, 12, 31), MONTH),
        ("December 2025 – February 2026", D(2025, 12, 1), D(2026, 2, 28), MONTH),
        ("29 January – 2 February 2026", D(2026, 1, 29), D(2026, 2, 2), DAY),
        ("in 2023", D(2023, 1, 1), D(2023, 12, 31), YEAR),
        ("2026-03-18", D(2026, 3, 18), D(2026, 3, 18), DAY),
    ],
)
def test_reads_each_form_with_its_precision(text, start, end, precision):
    (mention,) = find_dates(text)
    assert (mention.start, mention.end, mention.precision) == (start, end, precision)
    assert not mention.inferred_year
    assert text[mention.start_offset : mention.end_offset] == mention.text


def test_year_left_out_is_taken_from_the_paragraph_and_flagged():
    text = "A meeting was held in Brussels on June 7, preparing the mission of July 2018."
    first, second = find_dates(text)
    assert (first.start, first.precision, first.inferred_year) == (D(2018, 6, 7), DAY, True)
    assert first.text == "June 7"
    assert (second.start, second.inferred_year) == (D(2018, 7, 1), False)


def test_year_left_out_falls_back_to_the_default_year():
    (mention,) = find_dates("The ComP officially launched on 18 March.", default_year=2025)
    assert (mention.start, mention.inferred_year) == (D(2025, 3, 18), True)


def test_date_without_any_year_to_infer_is_dropped():
    assert find_dates("The ComP officially launched on 18 March.") == []


def test_months_range_without_year_is_inferred():
    (mention,) = find_dates("Three sessions were held from February to March.", default_year=2023)
    assert (mention.start, mention.end, mention.precision) == (D(2023, 2, 1), D(2023, 3, 31), MONTH)


def test_horizons_and_impossible_dates_are_not_dates():
    assert find_dates("emissions will double by 2050, as they have since 1987") == []
    (mention,) = find_dates("dated 31 February 2020 and 3 May 2020")
    assert mention.start == D(2020, 5, 3)


def test_may_the_verb_and_march_the_verb_are_not_months():
    assert find_dates("cities may march together towards 2030 goals") == []


def test_document_year_is_the_commonest_explicit_year_earliest_on_a_tie():
    text = "The initiative (2025–2026) launched on 18 March.\nIt grows through 2025 and 2026."
    assert document_year(text) == 2025
    assert document_year("Report 2023. In 2023 we met on 23 October 2023; since 1987.") == 2023
    assert document_year("No dates here.") is None
