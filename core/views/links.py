"""Record addresses for the many rows of a page: each pattern reversed once, then filled in.

Django's ``reverse`` matches the URL patterns again on every call; a list page linking
each row, its programme and its cities called it over a hundred times. An address whose
one argument is an id or a slug is the same text around that argument, so it is reversed
once with a stand-in and the argument is put in its place, quoted as ``reverse`` quotes
it. Made per request (``reverse`` depends on the request's script prefix).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

# Stand-ins the id and slug converters accept and no URL's fixed text contains.
STAND_INS = {"pk": 987_654_321_987, "slug": "zq-stand-in-zq"}
# What reverse() leaves unquoted: the `pchar` characters of RFC 3986.
SAFE = "!$&'()*+,;=" + "/~:@"


def address_maker(name: str, argument: str) -> Callable[[object], str]:
    """Return ``make(value)``: ``reverse(name, kwargs={argument: value})``, reversed once."""
    stand_in = STAND_INS[argument]
    before, found, after = reverse(name, kwargs={argument: stand_in}).partition(str(stand_in))
    if not found:
        raise ValueError(f"{name}: its address does not show its {argument}.")
    return lambda value: f"{before}{quote(str(value), safe=SAFE)}{after}"
