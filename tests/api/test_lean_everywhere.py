"""Every resource of the API reads through the lean path, and answers exactly what its
serializer answers, to every kind of reader.

Each list and each record is read both ways — through ``core.api.lean`` and, with the lean
path switched off, through the serializer — by an anonymous reader, a programme's officer
and an admin, on records with every optional field filled and empty
(``full_and_empty.build_every_resource``), and the two answers must be equal after
parsing. Among the records: a programme's unpublished source, cited beside published
ones, whose citations only its officers and admins may read.
"""

import json

import pytest
from rest_framework.test import APIClient

from citypairing.api.urls import router
from core.api.lean import reader_for
from core.api.views import RegistryViewSet
from tests.api import full_and_empty
from tests.api.battery import officer_of

RESOURCES = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if issubclass(viewset, RegistryViewSet)
]
READERS = ["anonymous", "officer", "admin"]
# Searches of the city list: a name, another name, a misspelling, an area.
CITY_SEARCHES = ["Bangkok", "Krung Thep", "Ilo-ilo", "Ilolo", "กรุงเทพมหานคร"]


@pytest.fixture
def records(db):
    return full_and_empty.build_every_resource()


@pytest.fixture
def reader(request, records, django_user_model):
    client = APIClient()
    if request.param == "officer":
        client.force_authenticate(officer_of(records.network, "officer", django_user_model))
    elif request.param == "admin":
        client.force_authenticate(
            django_user_model.objects.create_superuser("admin", password="a-long-pass-99")
        )
    return client


def both_ways(client, url, monkeypatch) -> tuple:
    lean = client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(RegistryViewSet, "lean_reader", lambda self: None)
        full = client.get(url)
    assert lean.status_code == full.status_code, url
    return lean, full


def test_every_resource_has_a_lean_plan():
    for prefix, viewset in RESOURCES:
        assert getattr(viewset, "lean", False), prefix
        assert reader_for(viewset()) is not None, prefix


@pytest.mark.usefixtures("no_throttling")
@pytest.mark.parametrize("reader", READERS, indirect=True)
@pytest.mark.parametrize("prefix", [prefix for prefix, _ in RESOURCES])
def test_lean_lists_and_records_equal_the_serializers(reader, prefix, monkeypatch):
    urls = [f"/api/v1/{prefix}/?page_size=100", f"/api/v1/{prefix}/?page_size=2&ordering=-id"]
    if prefix == "cities":
        urls += [f"/api/v1/cities/?q={text}" for text in CITY_SEARCHES]
    listed = set()
    for url in urls:
        lean, full = both_ways(reader, url, monkeypatch)
        assert lean.status_code == 200, (url, lean.content[:300])
        assert json.loads(lean.content) == json.loads(full.content), url
        listed |= {row["id"] for row in json.loads(full.content)["results"]}
    for pk in sorted(listed):
        lean, full = both_ways(reader, f"/api/v1/{prefix}/{pk}/", monkeypatch)
        assert lean.status_code == 200
        assert json.loads(lean.content) == json.loads(full.content), (prefix, pk)
        assert lean["ETag"] == full["ETag"]
    # Every record of the kind, seen or not: what a reader may not see is a 404 both ways.
    model = dict(RESOURCES)[prefix].queryset.model
    for pk in model._base_manager.exclude(pk__in=listed).values_list("pk", flat=True):
        lean, full = both_ways(reader, f"/api/v1/{prefix}/{pk}/", monkeypatch)
        assert lean.status_code == 404, (prefix, pk)
        assert json.loads(lean.content) == json.loads(full.content)


@pytest.mark.usefixtures("no_throttling")
def test_citations_of_an_unpublished_source_reach_only_those_who_may_read_it(
    records, django_user_model
):
    cited = [
        f"/api/v1/pairings/{records.full_pairing.pk}/",
        f"/api/v1/activities/{records.full_activity.pk}/",
        f"/api/v1/cities/{records.bangkok.pk}/",
        f"/api/v1/networks/{records.network.pk}/",
        f"/api/v1/thematic-streams/{records.stream.pk}/",
        f"/api/v1/programmes/{records.programme.pk}/",
        "/api/v1/pairings/",
        "/api/v1/activities/?page_size=100",
        "/api/v1/cities/",
        "/api/v1/cities/?q=Bangkok",
    ]
    title = records.unpublished_source.title
    anonymous = APIClient()
    officer = APIClient()
    officer.force_authenticate(officer_of(records.network, "officer", django_user_model))
    stranger = APIClient()
    stranger.force_authenticate(django_user_model.objects.create_user("stranger"))
    for url in cited:
        for client in (anonymous, stranger):
            response = client.get(url)
            assert response.status_code == 200
            assert title not in response.content.decode(), url
            assert records.full_source.title in response.content.decode(), url
        assert title in officer.get(url).content.decode(), url
