"""A task for the worker tests: write a marker file (the worker imports it through
``PROCRASTINATE_IMPORT_PATHS``)."""

from pathlib import Path

from procrastinate.contrib.django import app


@app.task(name="tests.write_marker")
def write_marker(path: str, text: str) -> None:
    """Write ``text`` to ``path``."""
    Path(path).write_text(text)
