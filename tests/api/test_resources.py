"""What every resource shares: its citations, its place in the API root, a 404 for an id
that is no number (what each representation embeds is tested in tests/<app>/test_api.py)."""

import pytest

from tests.api.data import build_registry

RESOURCES = [
    "cities",
    "networks",
    "memberships",
    "programmes",
    "thematic-streams",
    "pairings",
    "activities",
    "sources",
]


@pytest.fixture
def registry(db):
    return build_registry()


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r != "sources"])
def test_every_record_carries_its_citations(api, registry, resource):
    results = api.get(f"/api/v1/{resource}/").json()["results"]
    cited = [record for record in results if record["citations"]]
    assert cited, results
    citation = cited[0]["citations"][0]
    assert citation["source"] == {
        "id": registry.source.pk,
        "slug": "urban-act-report",
        "title": "Urban-Act report",
    }
    assert citation["quote"]


# Resources no anonymous reader sees a record of (personal data: tests/contacts).
NOT_PUBLIC = ["contacts", "contact-roles", "webhooks"]
# Public resources whose records cite no source (a partner request is an officer's post).
UNCITED = ["partner-requests"]


def test_api_root_lists_the_resources(api):
    assert set(api.get("/api/v1/").json()) == set(RESOURCES + NOT_PUBLIC + UNCITED)


def test_non_numeric_id_is_a_404(api, registry):
    assert api.get("/api/v1/cities/bangkok/").status_code == 404
