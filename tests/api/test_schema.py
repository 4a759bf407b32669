"""The OpenAPI schema: generated without warnings, and the API keeps to it (schemathesis)."""

import itertools

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from citypairing.wsgi import application
from partners.models import PartnerRequest
from tests.api.data import build_registry
from webhooks.models import Subscription

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/thematic-streams/{id}/" in (tmp_path / "schema.yaml").read_text()


def test_schema_and_docs_are_served(api, db):
    schema = api.get("/api/v1/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]}
    assert {
        "q",
        "programme",
        "programme_id",
        "start_after",
        "month",
        "modified_since",
    } <= parameters
    assert {"cursor", "page_size", "format", "ordering"} <= parameters
    responses = schema["paths"]["/api/v1/pairings/{id}/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "415", "429"} <= set(responses)
    assert api.get("/api/v1/docs/").status_code == 200


def list_operations(schema: dict):
    """Yield (path, parameters) of every list operation (a GET with a ``page`` parameter)."""
    for path, item in schema["paths"].items():
        parameters = item.get("get", {}).get("parameters", [])
        if any(parameter["name"] == "page" for parameter in parameters):
            yield path, parameters


def test_every_filter_of_every_list_refuses_what_its_schema_refuses(partner_api, db):
    """An unknown record (slug or id) or a value outside a filter's choices is a 400 naming
    the parameter, as each parameter's description says; the schema lists the choices."""
    from core.api.schema import CHOICE_ONLY, UNKNOWN_RECORD

    schema = partner_api.get("/api/v1/schema/?format=json").json()
    checked = 0
    for path, parameters in list_operations(schema):
        for parameter in parameters:
            description = parameter.get("description", "")
            items = parameter["schema"].get("items", parameter["schema"])
            if UNKNOWN_RECORD in description:
                value = 0 if items["type"] == "integer" else "no-such-record"
            elif CHOICE_ONLY in description:
                assert items["enum"], (path, parameter["name"])
                value = "no-such-choice"
            else:
                continue
            response = partner_api.get(path, {parameter["name"]: value})
            assert response.status_code == 400, (path, parameter["name"], response.content)
            assert parameter["name"] in response.json()["errors"], (path, parameter["name"])
            checked += 1
    assert checked > 40
    model = next(
        p for p in schema["paths"]["/api/v1/changes/"]["get"]["parameters"] if p["name"] == "model"
    )
    assert "programmes.pairing" in model["schema"]["enum"]
    assert partner_api.get("/api/v1/changes/", {"model": "x"}).status_code == 400


@pytest.fixture
def live_wsgi(db):
    """Serve the WSGI app in-process inside the test's transaction.

    Django closes "old" connections when a request starts and finishes; inside a test
    transaction that would drop it, so that hook is off while schemathesis calls the app
    (as Django's own test client does).
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def token_headers(who: str, user) -> dict:
    """Return the headers of a caller: none when anonymous, else a token of ``user``."""
    from knox.models import AuthToken

    if who == "anonymous":
        return {}
    _, key = AuthToken.objects.create(user=user, expiry=None)
    return {"Authorization": f"Token {key}"}


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_fuzzed_reads_give_no_server_error_and_keep_to_the_schema(live_wsgi, editor, who):
    build_registry()
    headers = token_headers(who, editor)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", live_wsgi)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    # list, detail and history of eleven resources, the change feed, a city's and a
    # partner request's partner suggestions; webhooks' list, detail and deliveries; a
    # source's text, file, proposals and intake run, the sources' full-text search
    assert len(operations) == 44

    for operation, mode in itertools.product(operations, GenerationMode):

        @hypothesis_settings(
            max_examples=12 if mode == GenerationMode.POSITIVE else 6,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(checks=CHECKS, headers=headers)

        try:
            check()
        except Unsatisfiable:
            # An operation whose only input is a free-text id (a source's text or file)
            # has no invalid request to make: nothing to fuzz in negative mode.
            if mode != GenerationMode.NEGATIVE:
                raise


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_fuzzed_writes_give_no_server_error_and_keep_to_the_schema(live_wsgi, editor, who):
    registry = build_registry()
    headers = token_headers(who, editor)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", live_wsgi)
    writes = schema.include(method=["POST", "PUT", "PATCH", "DELETE"])
    operations = [result.ok() for result in writes.get_all_operations()]
    # create, update, partial update, delete of eleven resources and of webhooks; a
    # citation's create; accepting and rejecting a source's proposal, or all of a kind;
    # asking for a source's intake run again
    assert len(operations) == 53

    records = {
        "cities": registry.prato,
        "networks": registry.other_network,
        "memberships": registry.membership,
        "programmes": registry.other_programme,
        "thematic-streams": registry.stream,
        "pairings": registry.other_pairing,
        "activities": registry.other_activity,
        "sources": registry.source,
        "contacts": registry.person,
        "contact-roles": registry.contact_role,
        "partner-requests": PartnerRequest.objects.create(
            city=registry.prato, programme=registry.other_programme, theme="Textile recycling"
        ),
        "webhooks": Subscription.objects.create(owner=editor, url="https://93.184.215.14/h"),
    }

    for operation, mode in itertools.product(operations, GenerationMode):
        if mode == GenerationMode.NEGATIVE and not (operation.body or operation.query):
            continue  # a DELETE: its id is fixed below, its If-Match any text: nothing to break
        # Aim detail operations at a record that exists, so writes get past the 404.
        resource = operation.path.split("/")[3]
        path = {"id": records[resource].pk} if "{id}" in operation.path else None

        @hypothesis_settings(
            max_examples=5,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
        def check(case):
            case.call_and_validate(checks=CHECKS, headers=headers)

        check()
