"""Build datasets and read import results as the preview shows them."""

import tablib

from imports.views import STATUS_LABELS, error_messages


def dataset(headers: list[str], *rows) -> tablib.Dataset:
    return tablib.Dataset(*[list(row) for row in rows], headers=headers)


def run(resource, data, *, dry_run=True):
    """Import ``data`` with ``resource``; return the result."""
    return resource.import_data(data, dry_run=dry_run, use_transactions=True)


def statuses(result) -> list[str]:
    return [STATUS_LABELS[row.import_type] for row in result.rows]


def errors_of(result, row: int) -> str:
    """Return the error messages of row ``row`` (1-based) joined as one string."""
    return " | ".join(error_messages(result.rows[row - 1]))
