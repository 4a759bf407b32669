"""Every real response keeps to the published schema, as a strict OpenAPI 3.0 tool reads it.

openapi-core validates the responses of every operation (lists, details, history, the
change feed, partner suggestions and writes, with their errors) on a registry whose
optional references are both null and filled.
"""

import json
import re
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from intake.models import Proposal
from intake.services import propose
from partners.models import PartnerRequest
from programmes.choices import StaffRole, StreamMemberRole
from programmes.models import NetworkStaff, StreamMember
from sources.services import source_add
from tests import factories
from tests.api.data import build_registry
from tests.helpers import token_client
from tests.sources.conftest import NEWS
from webhooks.models import Subscription

HOST = "http://testserver"


def build_optional_references() -> SimpleNamespace:
    """Return ``build_registry()`` plus records whose optional references are null or set."""
    r = build_registry()
    # A network with a parent and a city; build_registry's networks have neither.
    r.branch = factories.NetworkFactory(name="CityNet Bangkok", parent=r.network, city=r.bangkok)
    # A membership of an organisation (city null) beside build_registry's city member.
    r.org_membership = factories.MembershipFactory(
        network=r.network, city=None, member_network=r.other_network
    )
    # Stream members: a city (network null) and an organisation (city null).
    StreamMember.objects.create(stream=r.stream, city=r.bangkok, role=StreamMemberRole.LEAD)
    StreamMember.objects.create(stream=r.stream, network=r.network, role=StreamMemberRole.MEMBER)
    # An activity of no programme, stream, pairing or place.
    r.loose_activity = factories.ActivityFactory(title="Regional forum", programme=None)
    # A partner request with every reference (it became the pairing), and one with none.
    r.partner_request = PartnerRequest.objects.create(
        city=r.bangkok,
        programme=r.programme,
        stream=r.stream,
        theme="Flood retention",
        preferred_countries=["IT"],
        deadline="2026-09-30",
        status="paired",
        pairing=r.pairing,
    )
    r.loose_request = PartnerRequest.objects.create(city=r.prato, theme="Textile recycling")
    return r


def reasons(error: BaseException) -> str:
    """Return what openapi-core found wrong, from the innermost schema errors it chains."""
    while error.__cause__ is not None and not getattr(error, "schema_errors", None):
        error = error.__cause__
    found = getattr(error, "schema_errors", None) or [error]
    return "; ".join(
        f"{'/'.join(map(str, getattr(item, 'absolute_path', [])))}: "
        f"{getattr(item, 'message', str(item))[:200]}"
        for item in found
    )


class SchemaCheck:
    """Send requests with a client and validate each response against the schema."""

    def __init__(self, schema: dict):
        self.openapi = OpenAPI.from_dict(schema)
        self.templates = {
            (method.upper(), path): re.compile(
                "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
            )
            for path, item in schema["paths"].items()
            for method in item
            if method in {"get", "post", "put", "patch", "delete"}
        }
        self.covered: set[tuple[str, str]] = set()
        self.failures: list[str] = []

    def operation(self, method: str, path: str) -> tuple[str, str] | None:
        matches = [key for key, pattern in self.templates.items() if key[0] == method]
        matches = [key for key in matches if self.templates[key].match(path)]
        # A literal segment (``/changes/``) beats a template (``/{id}/``).
        return min(matches, key=lambda key: key[1].count("{"), default=None)

    def call(self, client, method: str, url: str, body=None, headers=None):
        """Send one request; record a failure if the response breaks the schema."""
        response = getattr(client, method.lower())(
            url, body, format="json" if body is not None else None, headers=headers or {}
        )
        parts = urlsplit(url)
        operation = self.operation(method.upper(), parts.path)
        if operation is None:
            self.failures.append(f"{method} {url}: no operation in the schema")
            return response
        self.covered.add(operation)
        request = MockRequest(
            HOST,
            method,
            parts.path,
            args=dict(parse_qsl(parts.query)),
            data=json.dumps(body).encode() if body is not None else None,
        )
        content_type = response.get("Content-Type", "application/json").split(";")[0]
        body_bytes = (
            b"".join(response.streaming_content)  # a file download
            if getattr(response, "streaming", False)
            else response.content
        )
        mock = MockResponse(
            body_bytes,
            status_code=response.status_code,
            headers=dict(response.items()),
            content_type=content_type,
        )
        try:
            self.openapi.validate_response(request, mock)
        except Exception as error:  # openapi-core raises one class per kind of mismatch
            self.failures.append(f"{method} {url} → {response.status_code}: {reasons(error)}")
        return response


RESOURCES = {
    "cities": "bangkok",
    "networks": "branch",
    "memberships": "org_membership",
    "programmes": "programme",
    "thematic-streams": "stream",
    "pairings": "pairing",
    "activities": "activity",
    "sources": "source",
    "contacts": "person",
    "contact-roles": "contact_role",
    "partner-requests": "partner_request",
}
# Records whose optional references are null, beside the ones above that fill them.
NULL_REFERENCES = {
    "networks": "network",
    "memberships": "membership",
    "pairings": "other_pairing",
    "activities": "loose_activity",
    "partner-requests": "loose_request",
}


def reads(check: SchemaCheck, client, r, *, signed_in: bool) -> None:
    """Read every list, detail, history, the feed and partner suggestions."""
    for resource, name in RESOURCES.items():
        base = f"/api/v1/{resource}/"
        check.call(client, "GET", base)
        check.call(client, "GET", base + "?pagination=cursor&page_size=2")
        check.call(client, "GET", base + "?page_size=100000")  # 400
        check.call(client, "GET", base + "?ordering=nonsense")  # 400
        for record_name in {name, NULL_REFERENCES.get(resource, name)}:
            record = getattr(r, record_name)
            check.call(client, "GET", f"{base}{record.pk}/")
            check.call(client, "GET", f"{base}{record.pk}/history/")  # 401 when anonymous
        check.call(client, "GET", f"{base}999999/")  # 404
    check.call(client, "GET", "/api/v1/activities/?programme_id=0")
    check.call(client, "GET", "/api/v1/changes/")
    check.call(client, "GET", "/api/v1/changes/?model=programmes.pairing&page_size=5")
    if signed_in:
        check.call(client, "GET", "/api/v1/changes/?model=nonsense")  # 400
    suggestions = f"/api/v1/cities/{r.iloilo.pk}/partner-suggestions/"
    check.call(client, "GET", f"{suggestions}?stream={r.stream.slug}")
    check.call(client, "GET", f"{suggestions}?need=flood+retention")  # stream null
    check.call(client, "GET", f"{suggestions}?limit=0")  # 400
    for request in (r.partner_request, r.loose_request):
        check.call(client, "GET", f"/api/v1/partner-requests/{request.pk}/suggestions/")
    check.call(client, "GET", f"/api/v1/partner-requests/{r.loose_request.pk}/suggestions/?limit=0")
    check.call(client, "GET", "/api/v1/partner-requests/?theme=flood-management&status=open")


def writes(check: SchemaCheck, client, r, *, signed_in: bool) -> None:
    """Create, replace, patch and delete a record of every resource, and refuse bad input
    (anonymous: 401 for each)."""
    programme = r.programme.pk
    bodies = {
        "cities": {"name": "Da Nang", "slug": "da-nang", "country": "VN"},
        "networks": {"name": "Eurocities", "slug": "eurocities", "parent": r.network.pk},
        "memberships": {"network": r.other_network.pk, "city": r.prato.pk},
        "programmes": {"name": "Asia-Urbs", "slug": "asia-urbs", "start_date": "2024-01-01"},
        "thematic-streams": {"programme": programme, "name": "Heat", "slug": "heat"},
        "pairings": {
            "programme": programme,
            "participants": [{"city": r.bangkok.pk, "role": "pilot"}, {"city": r.prato.pk}],
        },
        "activities": {"title": "Webinar", "start_date": "2026-06-01"},
        "sources": {
            "title": "Annual report",
            "slug": "annual-report",
            "text": "Bangkok and Prato met in 2024.",
        },
        "contacts": {"name": "Ana Reyes", "organisation_network": r.network.pk},
        "contact-roles": {"person": r.person.pk, "role": "focal_point", "city": r.bangkok.pk},
        "partner-requests": {
            "city": r.bangkok.pk,
            "programme": programme,
            "theme": "Sponge city",
            "themes": ["flood-management"],
        },
    }
    for resource, body in bodies.items():
        base = f"/api/v1/{resource}/"
        created = check.call(client, "POST", base, body)
        if signed_in:
            assert created.status_code == 201, (resource, created.content)
            url = f"{base}{created.json()['id']}/"
        else:
            assert created.status_code == 401, (resource, created.content)
            url = f"{base}{getattr(r, RESOURCES[resource]).pk}/"
        check.call(client, "PUT", url, body)
        check.call(client, "PATCH", url, {})
        check.call(client, "PATCH", url, {"no_such_field": 1})  # 400
        check.call(client, "PATCH", url, {}, headers={"If-Match": '"stale"'})  # 412
        check.call(client, "POST", base, {})  # 400
        check.call(client, "DELETE", url)
        check.call(client, "DELETE", url)  # 404


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Keep the uploaded document in a folder of this test; subscribe to a local address
    (no name resolves on a machine without a network)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


def documents(check: SchemaCheck, client, r, editor) -> None:
    """Add a source, read its text, file and proposals, decide on them, cite it, search."""
    source = source_add(
        user=editor,
        title="Study visit news",
        data=NEWS.encode(),
        file_name="news.txt",
        programme=r.programme,
    ).source
    propose(source)  # adding a short document proposed already: nothing new
    proposals = list(Proposal.objects.filter(source=source).order_by("pk"))
    assert len(proposals) >= 2
    base = f"/api/v1/sources/{source.pk}/"
    check.call(client, "GET", "/api/v1/sources/search/?q=visit")
    check.call(client, "GET", "/api/v1/sources/search/")  # 400: no q
    check.call(client, "GET", base + "text/")
    check.call(client, "GET", base + "file/")
    check.call(client, "GET", base + "proposals/")
    # Publishing is a write of ``is_published`` (its programme's officers, as for pairings).
    check.call(client, "PATCH", base, {"is_published": True})
    first, second = proposals[0], proposals[1]
    check.call(client, "POST", f"{base}proposals/{first.pk}/reject/", {})
    check.call(client, "POST", f"{base}proposals/{second.pk}/accept/", {})
    check.call(client, "POST", f"{base}proposals/{second.pk}/accept/", {})  # decided: 400
    check.call(
        client, "POST", base + "proposals/decide-all/", {"kind": "city", "decision": "reject"}
    )
    check.call(client, "POST", base + "proposals/decide-all/", {})  # 400
    citation = {
        "source": source.pk,
        "record_type": "pairing",
        "record": r.pairing.pk,
        "quote": "visited Wichit",
    }
    check.call(client, "POST", "/api/v1/citations/", citation)
    check.call(client, "POST", "/api/v1/citations/", {**citation, "quote": "not in it at all"})
    # The background reading: its state, queued again, and proposals while it is pending.
    check.call(client, "GET", base + "intake/")
    check.call(client, "POST", base + "intake/", {})
    check.call(client, "GET", base + "proposals/")  # 202 while the job waits


def subscriptions(check: SchemaCheck, client, r, editor, *, signed_in: bool) -> None:
    """List, read, create, change and delete webhook subscriptions, and a delivery log."""
    own = Subscription.objects.create(owner=editor, url="http://127.0.0.1:9/registry")
    base = "/api/v1/webhooks/"
    check.call(client, "GET", base)
    check.call(client, "GET", f"{base}{own.pk}/")
    check.call(client, "GET", f"{base}{own.pk}/deliveries/")
    body = {"url": "http://127.0.0.1:9/other", "kinds": ["programmes.pairing"]}
    created = check.call(client, "POST", base, body)
    if signed_in:
        assert created.status_code == 201, created.content
    url = f"{base}{created.json()['id']}/" if signed_in else f"{base}{own.pk}/"
    check.call(client, "PUT", url, body)
    check.call(client, "PATCH", url, {"is_active": False})
    check.call(client, "POST", base, {"url": "ftp://example.org/"})  # 400
    check.call(client, "DELETE", url)
    check.call(client, "DELETE", url)  # 404


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_every_response_keeps_to_the_published_schema(api, editor, who):
    r = build_optional_references()
    check = SchemaCheck(api.get("/api/v1/schema/?format=json").json())
    client = token_client(editor) if who == "token" else api
    # The editor is a partner network's staff too: partners subscribe to webhooks.
    NetworkStaff.objects.create(user=editor, network=r.network, role=StaffRole.PARTNER)

    reads(check, client, r, signed_in=who == "token")
    writes(check, client, r, signed_in=who == "token")
    documents(check, client, r, editor)
    subscriptions(check, client, r, editor, signed_in=who == "token")

    assert not check.failures, "\n".join(check.failures)
    assert check.covered == set(check.templates), set(check.templates) - check.covered


def test_a_nullable_reference_is_a_typed_null_branch(api, db):
    """Strict 3.0 tools ignore ``nullable`` beside a bare ``allOf``: the schema says null
    in a branch of its own."""
    schemas = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    stream = schemas["Pairing"]["properties"]["stream"]
    assert stream["oneOf"][0] == {"$ref": "#/components/schemas/ThematicStreamRef"}
    assert stream["oneOf"][1] == {"type": "object", "nullable": True, "enum": [None]}
    assert "allOf" not in json.dumps(stream) and "nullable" not in stream
    member = schemas["StreamMember"]["properties"]["city"]
    assert member["oneOf"][1]["enum"] == [None]
