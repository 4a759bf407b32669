"""A partner's generated client reads every list and detail of a live server.

openapi-python-client generates a Python client from the published schema; the client
then calls every read operation, anonymous and with a token, and parses each answer into
its models (a field the schema calls non-null that comes back null breaks the parsing).
"""

import importlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from knox.models import AuthToken

from tests.api.test_conformance import NULL_REFERENCES, RESOURCES, build_optional_references

PACKAGE = "registry_client"


@pytest.fixture(scope="module")
def generated_client(live_server, tmp_path_factory):
    """Generate the client from the live server's schema (once); yield its package."""
    tmp_path = tmp_path_factory.mktemp("client")
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema/?format=json") as response:
        (tmp_path / "schema.json").write_text(json.dumps(json.load(response)))
    bin_dir = Path(sys.executable).parent
    generated = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        # Its post-generation step runs ruff from PATH.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        cwd=tmp_path,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def operation(package, resource: str, name: str):
    module = resource.replace("-", "_")
    return importlib.import_module(f"{PACKAGE}.api.{module}.{module}_{name}")


PERSONAL = {"contacts", "contact-roles"}


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_generated_client_parses_every_list_and_detail(generated_client, live_server, who, editor):
    r = build_optional_references()
    client_module = importlib.import_module(f"{PACKAGE}.client")
    if who == "token":
        _, key = AuthToken.objects.create(user=editor, expiry=None)
        client = client_module.AuthenticatedClient(
            base_url=live_server.url, token=key, prefix="Token", raise_on_unexpected_status=True
        )
    else:
        client = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    parsed = []
    for resource, name in RESOURCES.items():
        listed = operation(generated_client, resource, "list").sync_detailed(client=client)
        if who == "anonymous" and resource in PERSONAL:
            # Personal data: an empty list for anonymous readers, each record a 404.
            assert listed.status_code == 200 and listed.parsed.results == [], resource
            pk = str(getattr(r, name).pk)
            retrieve = operation(generated_client, resource, "retrieve")
            assert retrieve.sync_detailed(pk, client=client).status_code == 404, resource
            continue
        assert listed.status_code == 200 and listed.parsed.results, resource
        parsed.extend(listed.parsed.results)
        for record_name in {name, NULL_REFERENCES.get(resource, name)}:
            pk = str(getattr(r, record_name).pk)
            detail = operation(generated_client, resource, "retrieve").sync_detailed(
                pk, client=client
            )
            assert detail.status_code == 200, (resource, detail.content)
            parsed.append(detail.parsed)
            if who == "token":
                history = operation(generated_client, resource, "history_list").sync_detailed(
                    pk, client=client
                )
                assert history.status_code == 200 and history.parsed.results, resource
    suggest = operation(generated_client, "cities", "partner_suggestions_retrieve")
    for arguments in ({"stream": r.stream.slug}, {"need": "flood retention"}):
        answer = suggest.sync_detailed(str(r.iloilo.pk), client=client, **arguments)
        assert answer.status_code == 200, answer.content
        parsed.append(answer.parsed)
    if who == "token":
        changes = importlib.import_module(f"{PACKAGE}.api.changes.changes_list")
        feed = changes.sync_detailed(client=client, page_size=100)
        assert feed.status_code == 200 and feed.parsed.results

    # The nulls came through as None, the filled references as the client's models.
    suggestions = [item for item in parsed if type(item).__name__ == "PartnerSuggestions"]
    assert {answer.stream is None for answer in suggestions} == {True, False}
    streams = [item for item in parsed if type(item).__name__ == "ThematicStream"]
    members = [member for stream in streams for member in stream.members]
    assert {member.city is None for member in members} == {True, False}
    activities = [item for item in parsed if type(item).__name__ == "Activity"]
    assert {activity.pairing is None for activity in activities} == {True, False}
