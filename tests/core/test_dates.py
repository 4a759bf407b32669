"""Dates with a precision: a period as sources write it ("2026-03", "2023/2024")."""

import datetime

import pytest

from core.dates import DatePrecision, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2023", "2023-01-01", "2023-12-31", DatePrecision.YEAR),
        ("2026-03/2026-04", "2026-03-01", "2026-04-30", DatePrecision.MONTH),
        ("2026-02", "2026-02-01", "2026-02-28", DatePrecision.MONTH),
        ("2025-03-18", "2025-03-18", "2025-03-18", DatePrecision.DAY),
        ("2026-01-29/2026-01-30", "2026-01-29", "2026-01-30", DatePrecision.DAY),
    ],
)
def test_parse_period(text, start, end, precision):
    period = parse_period(text)
    assert period.start == datetime.date.fromisoformat(start)
    assert period.end == datetime.date.fromisoformat(end)
    assert period.precision == precision


def test_parse_period_refuses_mixed_precision():
    with pytest.raises(ValueError, match="same precision"):
        parse_period("2026-03/2026-04-15")


@pytest.mark.parametrize("text", ["2026-03-18-01", "March 2026", "2026-13"])
def test_parse_period_refuses_what_is_no_date(text):
    with pytest.raises(ValueError):
        parse_period(text)
