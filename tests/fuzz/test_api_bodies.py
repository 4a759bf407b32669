"""Every writable field of every API resource, sent hostile values in a POST and a PATCH:
no 5xx, as an administrator (who may write everything).

Strings from ``tests.hostile`` and values of the wrong JSON type (huge and negative
numbers, lists, objects, nesting), each field its share (``tests.hostile.sample``;
``FUZZ_FULL=1`` for all).
"""

import json

import pytest
from rest_framework.test import APIClient

from citypairing.api.urls import router
from programmes.models import Membership
from tests.hostile import Hostile, hostile_values, sample

API = "/api/v1/"
RESOURCES = {prefix: viewset for prefix, viewset, _ in router.registry}
WRONG_TYPES = {
    "huge": 10**30,
    "huge-negative": -(10**30),
    "negative": -1,
    "float": 1.5,
    "float-max": 1e308,
    "true": True,
    "null": None,
    "empty-list": [],
    "empty-object": {},
    "mixed-list": [1, "a", None],
    "object-with-id": {"id": 1},
    "list-of-objects": [{"city": "x", "role": "pilot"}],
    "nested": [[[[1]]]],
}


def body_values() -> list[Hostile]:
    """Return the hostile strings, then values of the wrong JSON type (as JSON text)."""
    strings = [value for value in hostile_values() if value.raw is None]
    return strings + [
        Hostile("type", label, json.dumps(value)) for label, value in WRONG_TYPES.items()
    ]


def json_body(field: str, value: Hostile) -> str:
    if value.kind == "type":
        return f'{{"{field}": {value.text}}}'
    return json.dumps({field: value.text})


def record_of(registry, prefix: str) -> int:
    records = {
        "cities": registry.wichit,
        "networks": registry.network,
        "memberships": Membership.objects.first(),
        "programmes": registry.programme,
        "thematic-streams": registry.stream,
        "pairings": registry.pairing,
        "activities": registry.activity,
        "sources": registry.source,
        "contacts": registry.person,
        "contact-roles": registry.contact_role,
        "partner-requests": registry.request,
        "webhooks": registry.subscription,
    }
    return records[prefix].pk


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_hostile_field_values_never_make_a_write_fail(fuzz_registry, fuzz_clients, resource):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(fuzz_registry.admin)
    serializer = RESOURCES[resource].serializer_class()
    fields = [name for name, field in serializer.fields.items() if not field.read_only]
    record = f"{API}{resource}/{record_of(fuzz_registry, resource)}/"
    failures = []
    for index, field in enumerate(fields):
        for turn, value in enumerate(sample(body_values(), index, len(fields))):
            method, url = ("PATCH", record) if turn % 2 else ("POST", f"{API}{resource}/")
            body = json_body(field, value)
            response = api.generic(method, url, body, content_type="application/json")
            if response.status_code >= 500:
                failures.append(f"{method} {url} {field}={value} -> {response.status_code}")
    assert not failures, "\n".join(failures)
