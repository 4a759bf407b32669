"""OpenAPI schema generation: error responses, export formats, token auth, nested refs.

``strict_openapi`` (a post-processing hook) writes a reference that may be null, and
a URL that may be blank, in the form strict OpenAPI 3.0.3 tools understand.
"""

import django_filters
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes

from core.api.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a filter value, page size, body field or JSON that we cannot "
    "accept; `errors` has a message per field.",
    "401": "The token is missing, unknown, revoked or expired.",
    "403": "The token's user lacks the permission for this write.",
    "404": "No such record (or not published), page, or format.",
    "415": "The body must be JSON (Content-Type: application/json).",
    "429": "Too many requests: wait the seconds in the Retry-After header.",
}

EXPORT_SCHEMAS = {
    "text/csv": {"type": "string", "description": "CSV, one row per record."},
    "text/calendar": {"type": "string", "description": "iCalendar (RFC 5545), all-day events."},
    "application/geo+json": {
        "type": "object",
        "description": "GeoJSON FeatureCollection (RFC 7946).",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "integer"},
                        "geometry": {"type": "object"},
                        "properties": {"type": "object"},
                    },
                },
            },
        },
    },
}


# A filter naming a record that does not exist, or that the caller may not see, is
# refused like any invalid value (a 400 naming the parameter) rather than matching
# nothing: a misspelt slug is then an error, not a silently empty list, and a hidden
# record answers exactly as a missing one does.
UNKNOWN_RECORD = (
    "A slug or id that matches no record you may see is a 400 (`errors` names the parameter)."
)
CHOICE_ONLY = "Another value is a 400."


def document_filter(parameter: dict, filter_) -> dict:
    """Return ``parameter`` saying which values its filter refuses (400)."""
    description = parameter.get("description", "")
    schema = parameter.get("schema", {})
    items = schema.get("items", schema)
    if isinstance(
        filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
    ):
        description = f"{description}\n\n{UNKNOWN_RECORD}"
    elif isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        choices = filter_.extra.get("choices")
        if "enum" not in items and choices:
            # Choices given as a callable (the countries) are left out by drf-spectacular.
            items["enum"] = [value for value, _ in (choices() if callable(choices) else choices)]
        description = f"{description}\n\n{CHOICE_ONLY}"
    return {**parameter, "description": description.strip()}


def api_endpoints_only(endpoints):
    """Leave out the DRF views routed outside ``/api/`` (the map page's data): they are the
    pages', not the API's (a drf-spectacular pre-processing hook)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


class RegistryAutoSchema(AutoSchema):
    """Document the error responses of each operation and the export formats' bodies."""

    def _get_filter_parameters(self):
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        return [
            document_filter(parameter, filters.get(parameter["name"]))
            for parameter in super()._get_filter_parameters()
        ]

    def error_codes(self) -> list[str]:
        # 404 everywhere: a record, a page, or a ?format= the resource does not offer.
        codes = ["400", "401", "404"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        codes.append("429")
        return codes

    def get_auth(self):
        auths = super().get_auth()
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})  # published records are readable without a token
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            response = self._get_response_for_code(
                ErrorSerializer, code, media_types=["application/json"], direction=direction
            )
            response["description"] = ERROR_DESCRIPTIONS[code]
            responses.setdefault(code, response)
        return responses

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        for media_type, content in response.get("content", {}).items():
            if media_type in EXPORT_SCHEMAS:
                content["schema"] = EXPORT_SCHEMAS[media_type]
        return response


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        scheme["description"] = "`Authorization: Token <key>`: a key issued by an administrator."
        return scheme


class NestedRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """A nested relation: the small embedded object in responses, an id in requests."""

    target_class = "core.api.serializers.NestedRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return auto_schema.resolve_serializer(self.target.ref_serializer, direction).ref
        return build_basic_type(OpenApiTypes.INT)


# OpenAPI 3.0.3: "nullable: true is only meaningful in combination with a type assertion
# specified in the same Schema Object", so drf-spectacular's ``allOf: [$ref]`` beside
# ``nullable: true`` says nothing to strict validators (openapi-core) and generated
# clients, which then refuse a null. The null goes in a branch of its own, with a type.
NULL_BRANCH = {"type": "object", "nullable": True, "enum": [None]}


def nullable_reference(node: dict) -> dict:
    """Return ``node`` with a nullable ``allOf: [$ref]`` as ``oneOf: [$ref, null]``."""
    if node.get("nullable") is not True or "type" in node:
        return node
    branches = node.get("allOf")
    if not (isinstance(branches, list) and len(branches) == 1 and "$ref" in branches[0]):
        return node
    rest = {key: value for key, value in node.items() if key not in ("allOf", "nullable")}
    return {"oneOf": [branches[0], dict(NULL_BRANCH)], **rest}


# drf-spectacular writes a URL that may be blank as ``oneOf: [uri, maxLength 0]``; a
# validator that does not assert ``format`` finds "" valid under both branches, which
# ``oneOf`` forbids. Either branch will do: ``anyOf``.
BLANK_STRING = {"type": "string", "maxLength": 0}


def blank_or_format(node: dict) -> dict:
    """Return ``node`` with a ``oneOf`` of a formatted string or a blank one as ``anyOf``."""
    branches = node.get("oneOf")
    if not (isinstance(branches, list) and BLANK_STRING in branches):
        return node
    return {("anyOf" if key == "oneOf" else key): value for key, value in node.items()}


def strict_openapi(result, generator, request, public):
    """Write nullable references and blank-or-URL strings as strict tools read them
    (a drf-spectacular post-processing hook)."""

    def rewrite(node):
        if isinstance(node, dict):
            node = blank_or_format(nullable_reference(node))
            return {key: rewrite(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    return rewrite(result)
