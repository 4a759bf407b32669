"""Files that spreadsheets open: cells that cannot run as formulas, CSV that Excel decodes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so a record titled ``=HYPERLINK("http://evil.example","x")`` would
become a live link in an officer's Excel. Every CSV and XLSX the registry writes (API
``format=csv``, the list pages' exports, ``/import/<kind>/export.*``, the admin's exports,
programme reports) passes its cells through ``defuse_formula``, which puts a ``'`` in
front of such a text; the file imports read them back through ``restore_formula``, which
removes exactly that ``'``, so an exported file imports again with zero changes.

Numbers are not formulas: "-6.2" in a latitude column is written as it is.

Files read in (file imports, the twin-cities import) may hold characters no cell should:
``unreadable_character`` finds them so the row is refused with its line, not the file.
"""

from __future__ import annotations

import re

import tablib
from import_export.formats import base_formats

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# Excel reads a UTF-8 CSV as the local code page unless it starts with a byte-order mark.
BOM = "\ufeff"
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# A text that needs the quote: a formula start after any quotes already there, so that a
# text starting with a quote of its own gets one more and the round trip stays exact.
NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
XLSX_SHEET_TITLE_MAX = 31


def needs_quote(text: str) -> bool:
    """Return True if a spreadsheet could run ``text`` (after its leading quotes) as a formula."""
    return bool(NEEDS_QUOTE.match(text)) and not NUMBER.fullmatch(text)


def defuse_formula(value):
    """Return ``value`` with a ``'`` in front if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


def restore_formula(value):
    """Return ``value`` without the ``'`` that ``defuse_formula`` put in front, if any."""
    if isinstance(value, str) and value.startswith(QUOTE) and needs_quote(value[1:]):
        return value[1:]
    return value


def map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    """Return a copy of ``dataset`` with ``function`` applied to every cell."""
    copy = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([function(value) for value in row])
    return copy


class SafeCSV(base_formats.CSV):
    """CSV with defused formulas and a byte-order mark; reading undoes both."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        dataset = super().create_dataset(in_stream.removeprefix(BOM), **kwargs)
        return map_cells(dataset, restore_formula)

    def export_data(self, dataset, **kwargs):
        return BOM + super().export_data(map_cells(dataset, defuse_formula), **kwargs)


def as_text(value):
    """Return a cell as text (None stays empty): an XLSX string cell is never a formula."""
    return None if value is None else defuse_formula(str(value))


class SafeXLSX(base_formats.XLSX):
    """XLSX whose cells are all strings with defused formulas, on a sheet named for the data."""

    def create_dataset(self, in_stream):
        return map_cells(super().create_dataset(in_stream), restore_formula)

    def export_data(self, dataset, **kwargs):
        safe = map_cells(dataset, as_text)
        safe.title = (dataset.title or "")[:XLSX_SHEET_TITLE_MAX]
        return super().export_data(safe, **kwargs)


# The formats files come and go in: pages and admin offer only these.
FILE_FORMATS = (SafeCSV, SafeXLSX, base_formats.JSON)


# Control characters (tab, line feed and carriage return are text) and lone surrogates:
# PostgreSQL cannot store a NUL, XLSX cannot hold the others, a person cannot read any.
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def unreadable_character(text: str) -> str | None:
    """Return "a control character (U+0000)" if ``text`` holds one, else None."""
    match = UNREADABLE.search(text)
    if match is None:
        return None
    character = match.group()
    kind = (
        "a byte that is not UTF-8" if "\ud800" <= character <= "\udfff" else "a control character"
    )
    return f"{kind} (U+{ord(character):04X})"


def visible(text: str) -> str:
    """Return ``text`` with its unreadable characters written as escapes (``\\x00``)."""
    return UNREADABLE.sub(
        lambda match: match.group().encode("unicode_escape", "backslashreplace").decode(), text
    )
