"""Characters PostgreSQL text cannot hold, refused where a request comes in.

A NUL byte (U+0000) cannot be stored in a PostgreSQL string and psycopg2 refuses to send
one, even to compare (``/search/?q=%00`` was a 500); a lone surrogate (U+D800–U+DFFF,
from a JSON ``"\\ud800"``) is not UTF-8 at all. Rather than guarding each query, a request
carrying one is answered 400 before any view, session or login throttle reads it:
``UnstorableInputMiddleware`` checks the path, the query string, the headers and the
cookies, and the fields of a page's form; the API's JSON parser
(``core.api.parsers``) checks every key and string of a JSON body.
"""

import re
from collections.abc import Iterable

from django.http import HttpRequest

from core.api.middleware import is_api
from core.errors import bad_request

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def first_unstorable(text: str) -> str | None:
    """Return the first character of ``text`` that PostgreSQL cannot store, or None."""
    match = UNSTORABLE.search(text)
    return match.group() if match else None


def unstorable_message(character: str, where: str) -> str:
    """Say which character was refused, where, and what to do."""
    code = f"U+{ord(character):04X}"
    name = "a NUL byte" if character == "\x00" else "a lone surrogate"
    return (
        f"{where} holds {name} ({code}), which the registry cannot store or search for: "
        "remove it and send the request again."
    )


def unstorable_in_pairs(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """Return ``(name, character)`` of the first name or value holding an unstorable
    character, or None."""
    for name, value in pairs:
        for text in (name, value):
            if isinstance(text, str) and (character := first_unstorable(text)):
                return name, character
    return None


def form_fields(request: HttpRequest) -> Iterable[tuple[str, str]]:
    """Return a page's form fields (names and values), uploaded files' names included."""
    for name, values in request.POST.lists():
        for value in values:
            yield name, value
    for name, files in request.FILES.lists():
        for upload in files:
            yield name, upload.name or ""


def refusal(request: HttpRequest):
    """Return the 400 for the first unstorable character in the request, or None."""
    if character := first_unstorable(request.path_info):
        return bad_request(request, unstorable_message(character, "The address"))
    found = unstorable_in_pairs(
        (name, value) for name, values in request.GET.lists() for value in values
    )
    if found:
        name, character = found
        message = unstorable_message(character, f"The parameter “{name}”")
        return bad_request(request, message, errors={name: [message]})
    found = unstorable_in_pairs(
        (name, value) for name, value in request.META.items() if name.startswith("HTTP_")
    ) or unstorable_in_pairs(request.COOKIES.items())
    if found:
        return bad_request(request, unstorable_message(found[1], "A header or cookie"))
    # The API reads only JSON (its parser checks it); reading a form body here would use
    # up the stream the API's parser reads.
    if is_api(request) or request.content_type not in FORM_TYPES:
        return None
    if found := unstorable_in_pairs(form_fields(request)):
        name, character = found
        message = unstorable_message(character, f"The field “{name}”")
        return bad_request(request, message, errors={name: [message]})
    return None


class UnstorableInputMiddleware:
    """Answer 400 to a request whose address, headers or form hold an unstorable character.

    First in ``MIDDLEWARE``: sessions, logins and history would otherwise read the value
    and send it to PostgreSQL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return refusal(request) or self.get_response(request)
