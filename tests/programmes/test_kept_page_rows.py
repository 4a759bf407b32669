"""The pairing list page keeps an anonymous reader's rows per query string (the filtered,
ordered ``values()`` queryset and its pages' statements, compiled once), never the data:
each request reads the rows as they are, and no reader is served another's."""

import re
from unittest.mock import patch

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

from core.api import shapes
from programmes.models import Pairing
from tests import factories

pytestmark = pytest.mark.usefixtures("fresh_shapes")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def kept_rows() -> list[tuple]:
    return [key for key in shapes._shapes if "rows" in key and "slice" not in key]


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(slug="urban-act")


def test_rows_are_kept_and_read_afresh(programme):
    first = factories.PairingFactory(programme=programme, title="Alpha")
    factories.PairingFactory(programme=programme, title="Draft", is_published=False)
    client = Client()
    assert titles(client.get("/pairings/")) == ["Alpha"]
    assert len(kept_rows()) == 1
    compiled = []
    real_as_sql = SQLCompiler.as_sql

    def as_sql(compiler, *args, **kwargs):
        query = compiler.query
        if query.model is Pairing and "city_rows" in query.annotation_select:
            compiled.append(query)
        return real_as_sql(compiler, *args, **kwargs)

    with patch.object(SQLCompiler, "as_sql", as_sql):
        assert titles(client.get("/pairings/")) == ["Alpha"]
    # The page's rows come from its statement compiled once: no row query was compiled
    # (the count is the paginator's, kept until the next change).
    assert any("slice" in key for key in shapes._shapes)
    assert compiled == []
    first.title = "Renamed"
    first.save()
    factories.PairingFactory(programme=programme, title="Beta")
    assert titles(client.get("/pairings/")) == ["Beta", "Renamed"]
    programme.is_published = False
    programme.save()
    assert titles(client.get("/pairings/")) == []


def test_each_query_string_is_its_own_and_pages_follow(programme):
    for number in range(30):
        factories.PairingFactory(programme=programme, title=f"P{number:02}", status="active")
    factories.PairingFactory(programme=programme, title="Ended", status="completed")
    client = Client()
    everything = sorted([f"P{number:02}" for number in range(30)] + ["Ended"])
    for _ in range(2):
        assert titles(client.get("/pairings/?ordering=title")) == everything[:25]
        assert titles(client.get("/pairings/?ordering=title&page=2")) == everything[25:]
        assert titles(client.get("/pairings/?status=completed")) == ["Ended"]
        assert titles(client.get("/pairings/?ordering=-title")) == everything[::-1][:25]
    # page= is not part of a list's key: three lists, each read twice.
    assert len(kept_rows()) == 3
    assert client.get("/pairings/?ordering=title&page=9").status_code == 404


def test_a_filter_that_reads_the_database_is_built_each_time(programme):
    factories.PairingFactory(programme=programme, title="Alpha")
    client = Client()
    assert titles(client.get("/pairings/?programme=urban-act")) == ["Alpha"]
    assert kept_rows() == []
    programme.slug = "urban-act-2"
    programme.save()
    assert titles(client.get("/pairings/?programme=urban-act-2")) == ["Alpha"]
    response = client.get("/pairings/?programme=urban-act")
    assert response.status_code == 200 and titles(response) == []


def test_signed_in_readers_build_their_own(programme, django_user_model):
    factories.PairingFactory(programme=programme, title="Alpha")
    factories.PairingFactory(programme=programme, title="Draft", is_published=False)
    anonymous, admin = Client(), Client()
    admin.force_login(django_user_model.objects.create_superuser("root", "r@x.org", "x"))
    for _ in range(2):
        assert titles(anonymous.get("/pairings/")) == ["Alpha"]
        assert titles(admin.get("/pairings/")) == ["Alpha", "Draft"]
    assert len(kept_rows()) == 1
    shapes._shapes.clear()
    assert titles(admin.get("/pairings/")) == ["Alpha", "Draft"]
    assert titles(anonymous.get("/pairings/")) == ["Alpha"]
    assert titles(admin.get("/pairings/")) == ["Alpha", "Draft"]


def test_bad_filters_answer_as_before(programme):
    factories.PairingFactory(programme=programme, title="Alpha")
    client = Client()
    response = client.get("/pairings/?status=sideways")
    assert response.status_code == 200
    assert titles(response) == []
    assert "Correct the filters" in response.content.decode()
    assert kept_rows() == []
