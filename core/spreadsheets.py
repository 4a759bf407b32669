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

import csv
import io
import json
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


def file_dataset(headers, line_label: str) -> tablib.Dataset:
    """Return an empty Dataset that also says where each row stood in its file.

    ``row_lines`` holds each row's line (CSV), sheet row (XLSX) or item number (JSON), so
    that a preview names the place a person can find; ``row_problems`` maps a row's number
    (1-based) to why it could not be read, for the import to report on that row alone
    (a placeholder row keeps the numbering).
    """
    dataset = tablib.Dataset(headers=list(headers))
    dataset.line_label = line_label
    dataset.row_lines = []
    dataset.row_problems = {}
    return dataset


def add_row(dataset, cells: list, line: int, problem: str | None = None, fill=None) -> None:
    """Append a row cut or padded (with ``fill``) to the header's width, and where it was."""
    width = len(dataset.headers)
    dataset.append((list(cells) + [fill] * width)[:width])
    dataset.row_lines.append(line)
    if problem:
        dataset.row_problems[len(dataset)] = problem


class SafeCSV(base_formats.CSV):
    """CSV with defused formulas and a byte-order mark; reading undoes both, and a row that
    cannot be read (more cells than the header has columns) is marked, not fatal."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        reader = csv.reader(io.StringIO(in_stream.removeprefix(BOM)))
        dataset, line = None, 1
        for record in reader:
            start, line = line, reader.line_num + 1
            if dataset is None:
                dataset = file_dataset(record, "line")
                continue
            if not record:
                continue  # a blank line
            width = len(dataset.headers)
            problem = None
            if any(cell.strip() for cell in record[width:]):
                problem = (
                    f"This line has {len(record)} cells but the header has {width} columns: "
                    "check its commas and quotes."
                )
            add_row(dataset, [restore_formula(cell) for cell in record], start, problem, "")
        return dataset if dataset is not None else file_dataset([], "line")

    def export_data(self, dataset, **kwargs):
        return BOM + super().export_data(map_cells(dataset, defuse_formula), **kwargs)


def as_text(value):
    """Return a cell as text (None stays empty): an XLSX string cell is never a formula.

    XLSX cannot hold control characters (openpyxl refuses the whole file): a record that
    holds one, stored before imports refused them, gets it written as an escape (``\\x01``).
    """
    return None if value is None else defuse_formula(visible(str(value)))


class SafeXLSX(base_formats.XLSX):
    """XLSX whose cells are all strings with defused formulas, on a sheet named for the data."""

    def create_dataset(self, in_stream):
        sheet = super().create_dataset(in_stream)
        dataset = file_dataset(sheet.headers or [], "row")
        for number, row in enumerate(sheet, 2):
            if any(not is_empty(value) for value in row):  # skip rows left empty
                add_row(dataset, [restore_formula(value) for value in row], number)
        return dataset

    def export_data(self, dataset, **kwargs):
        safe = map_cells(dataset, as_text)
        safe.title = (dataset.title or "")[:XLSX_SHEET_TITLE_MAX]
        return super().export_data(safe, **kwargs)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class SafeJSON(base_formats.JSON):
    """A JSON list of objects, one per record; an item that is not a flat object is marked
    with its number, not fatal."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        items = json.loads(in_stream.removeprefix(BOM))
        if not isinstance(items, list):
            raise ValueError("a JSON file to import is a list of objects, one per record")
        headers = list(
            dict.fromkeys(key for item in items if isinstance(item, dict) for key in item)
        )
        dataset = file_dataset(headers, "item")
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict):
                add_row(dataset, [], number, "This item is not an object of column: value.")
                continue
            nested = [key for key, value in item.items() if isinstance(value, dict | list)]
            problem = (
                f"“{nested[0]}” holds a list or an object: write its value as text, as the "
                "export does."
                if nested
                else None
            )
            add_row(
                dataset, [None if nested else item.get(key) for key in headers], number, problem
            )
        return dataset


# The formats files come and go in: pages and admin offer only these.
FILE_FORMATS = (SafeCSV, SafeXLSX, SafeJSON)


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
