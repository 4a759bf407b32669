"""Whole numbers typed into addresses and forms (ids, years), read strictly.

``str.isdigit()`` is true of "²" (which ``int()`` refuses) and of ten thousand nines (more
digits than ``int()`` converts, and more than an id column holds): a check written with
it let such a value through to ``int()`` or to the database, and the page failed.
"""

import re

# ASCII digits only, at most 18 of them: every such number fits PostgreSQL's bigint.
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_whole_number(value) -> int | None:
    """Return ``value`` as a whole number if it is written as one (ASCII digits), else None."""
    text = str(value).strip() if value is not None else ""
    return int(text) if WHOLE_NUMBER.fullmatch(text) else None
