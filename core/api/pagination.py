"""Pages of a list: numbered pages by default, or a cursor to walk large tables.

- ``?page=2&page_size=100``: page-number mode (default size 50, at most 500; a larger or
  malformed ``page_size`` is refused with 400). The response has ``count`` and
  ``count_exact``: a list of 1,000 records or more is not counted row by row, its
  ``count`` is PostgreSQL's estimate (``core.counting``).
  ``next`` never depends on the estimate: each page reads one record more than it shows.
- ``?pagination=cursor`` (and then the ``cursor`` of each ``next`` link): keyset mode on
  (``id``) or, with ``ordering=modified``/``-modified``, on (``modified``, ``id``); no
  OFFSET and no count, so walking a large table stays fast. Other orderings are refused.

A record's history and the change feed page by number too (``HistoryPagination``), with
the same ``page_size`` rule.

The filter backend makes every ordering end with ``id``, so pages never shuffle.
"""

import re
from base64 import b64encode
from urllib import parse

from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.api.shapes import KeptPages
from core.counting import PlannerFirstPaginator

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
CURSOR_ORDERINGS = {"id", "-id", "modified", "-modified"}


def requested_page_size(request) -> int:
    """Return the ``page_size`` asked for, or the default; refuse nonsense with 400."""
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return size


def page_size_parameter() -> dict:
    """Return the OpenAPI description of ``page_size``, the same on every list."""
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": f"Records per page: {DEFAULT_PAGE_SIZE} by default, at most "
        f"{MAX_PAGE_SIZE} (more is a 400).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


class SizedPageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages whose ``page_size`` is checked like every list's (400 past the cap)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return requested_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        return [
            page_size_parameter() if parameter["name"] == "page_size" else parameter
            for parameter in parameters
        ]


class HistoryPagination(SizedPageNumberPagination):
    """A record's history and the change feed: numbered pages with an exact count."""


def split_address(url: str, key: str) -> tuple:
    """Return ``url`` split around its ``key`` parameter as DRF's ``replace_query_param``
    writes it: the other parameters sorted by name and encoded, before and after ``key``."""
    scheme, netloc, path, query, fragment = parse.urlsplit(url)
    items = parse.parse_qs(query, keep_blank_values=True)
    items.pop(key, None)
    ordered = sorted(items.items())
    before = parse.urlencode([item for item in ordered if item[0] < key], doseq=True)
    after = parse.urlencode([item for item in ordered if item[0] > key], doseq=True)
    return scheme, netloc, path, before, after, fragment


def address_with(parts: tuple, key: str, value: str | None) -> str:
    """Return the address of ``split_address``'s ``parts`` with ``key`` set to ``value``
    (encoded), or without it (None): what ``replace_query_param`` and
    ``remove_query_param`` write, from an address parsed once per page."""
    scheme, netloc, path, before, after, fragment = parts
    middle = None if value is None else f"{parse.quote_plus(key)}={parse.quote_plus(value)}"
    query = "&".join(part for part in (before, middle, after) if part)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


class PageNumberMode(SizedPageNumberPagination):
    django_paginator_class = PlannerFirstPaginator

    def page_address(self, number: int | None) -> str:
        """Return the address of page ``number`` (None: without a page number), as DRF
        writes its links, from this page's address parsed once for both."""
        parts = self.__dict__.get("_parts")
        if parts is None:
            url = self.request.build_absolute_uri()
            parts = self._parts = split_address(url, self.page_query_param)
        return address_with(parts, self.page_query_param, None if number is None else str(number))

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self.page_address(self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        return self.page_address(None if number == 1 else number)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


class CursorMode(pagination.CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        key = getattr(queryset, "pages_key", None)
        if key is not None:
            # A list kept per shape: its pages' statement is compiled once (core.api.shapes).
            queryset = KeptPages(queryset, key)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return requested_page_size(request)

    def encode_cursor(self, cursor):
        """Return the address of ``cursor``'s page: DRF's, written with the rest of the
        address split, parsed and encoded once per page instead of for each link
        (``replace_query_param`` was a fifth of a cursor page's time)."""
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        # What urlencode() writes, without its checks of each value's type.
        written = "&".join(f"{key}={parse.quote_plus(value)}" for key, value in tokens.items())
        token = b64encode(written.encode("ascii")).decode("ascii")
        return address_with(self.link_parts(), self.cursor_query_param, token)

    def link_parts(self) -> tuple:
        """Return this page's address split around its cursor parameter (``split_address``)."""
        parts = self.__dict__.get("_link_parts")
        if parts is None:
            parts = self._link_parts = split_address(self.base_url, self.cursor_query_param)
        return parts

    def decode_cursor(self, request):
        # A position that is not of the ordering's kind (a forged token) would fail in the
        # database query as a server error: it is an invalid cursor, as a malformed token.
        cursor = super().decode_cursor(request)
        position = None if cursor is None else cursor.position
        if position is not None and not self.valid_position(position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def valid_position(self, position: str) -> bool:
        if self.ordering[0].lstrip("-") == "id":
            return re.fullmatch(r"-?[0-9]{1,18}", position) is not None
        try:
            return parse_datetime(position) is not None
        except ValueError:
            return False

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get("ordering", "").split(",")[0].strip() or "id"
        if requested not in CURSOR_ORDERINGS:
            raise ValidationError(
                {"ordering": ["In cursor mode, order by id or modified (- before it reverses)."]}
            )
        if requested.lstrip("-") == "id":
            return (requested,)
        return (requested, "-id" if requested.startswith("-") else "id")


class RegistryPagination(pagination.BasePagination):
    """Page-number pagination, or cursor pagination with ``?pagination=cursor``."""

    modes = {"page": PageNumberMode, "cursor": CursorMode}

    def paginate_queryset(self, queryset, request, view=None):
        mode = request.query_params.get("pagination") or (
            "cursor" if "cursor" in request.query_params else "page"
        )
        if mode not in self.modes:
            raise ValidationError({"pagination": ["Choose page or cursor."]})
        self.mode = self.modes[mode]()
        return self.mode.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.mode.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Number of matching records (page-number mode only): "
                    "exact when count_exact is true, else PostgreSQL's estimate.",
                    "example": 123,
                },
                "count_exact": {
                    "type": "boolean",
                    "description": "Whether count is exact (page-number mode only); lists "
                    "of 1,000 records or more are estimated.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def param(name, schema, description):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": schema,
            }

        return [
            param(
                "pagination",
                {"type": "string", "enum": list(self.modes)},
                "page (default): numbered pages with a count; cursor: keyset pages for "
                "walking large tables (order by id or modified).",
            ),
            param("page", {"type": "integer", "minimum": 1}, "Page number (page mode)."),
            page_size_parameter(),
            param("cursor", {"type": "string"}, "Cursor from a next or previous link."),
        ]
