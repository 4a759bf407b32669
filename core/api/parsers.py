"""The API's JSON parser: DRF's, refusing what a record's JSON never holds.

Python's JSON decoder recurses once per level: a body nested 1,000 deep raised
RecursionError (a 500). This parser refuses, with the API's JSON error (400), a body
nested deeper than ``MAX_JSON_DEPTH``, or holding a character PostgreSQL cannot store in
any key or string (``core.unstorable``; the error is on the field it is in).
The body's size is Django's limit, ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads JSON
through ``request.body``): past it the answer is 413 (``core.api.exceptions``).
"""

import re

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.settings import api_settings
from rest_framework.utils import json

from core.unstorable import first_unstorable, unstorable_message

# The deepest a record's JSON goes is three levels (a pairing's list of participants);
# a little room for clients that wrap what they send.
MAX_JSON_DEPTH = 16
TOO_DEEP = (
    f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep: send the record's "
    "fields as the schema describes them."
)


class RequestTooLarge(APIException):
    """A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413, said in words."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(
            f"The request body is larger than {limit:,} bytes: send one record at a time."
        )


def check_json(data) -> None:
    """Refuse ``data`` if it is nested too deep (ParseError) or holds an unstorable
    character (ValidationError on the field it is in, naming where exactly).

    Walks the decoded value with a stack of its own (no recursion, whatever its depth).
    """
    pending = [(data, 1, "")]
    while pending:
        value, depth, where = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP)
        if isinstance(value, dict):
            for key, item in value.items():
                if character := first_unstorable(key):
                    # Not echoed: a lone surrogate cannot even be written in the answer.
                    place = f"A key of “{where}”" if where else "A key"
                    refuse(where, unstorable_message(character, place))
                pending.append((item, depth + 1, f"{where}.{key}" if where else key))
        elif isinstance(value, list):
            pending.extend(
                (item, depth + 1, f"{where}[{index}]") for index, item in enumerate(value)
            )
        elif isinstance(value, str) and (character := first_unstorable(value)):
            refuse(where, unstorable_message(character, f"The value of “{where or 'the body'}”"))


def refuse(where: str, message: str) -> None:
    """Raise the API's 400 with ``message`` on the top-level field of ``where``."""
    field = re.split(r"[.\[]", where, maxsplit=1)[0] or api_settings.NON_FIELD_ERRORS_KEY
    raise ValidationError({field: [message]})


class RegistryJSONParser(JSONParser):
    """DRF's JSON parser with a depth limit, accepting only text PostgreSQL can store."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise ParseError(TOO_DEEP) from error
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {error}") from error
        check_json(data)
        return data
