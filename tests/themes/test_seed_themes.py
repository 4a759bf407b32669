"""The seed data's themes: on the records whose document states them, with the quote."""

import pytest

from activities.models import Activity
from imports.seed.load import load_seed
from imports.seed.read import SeedError, read_fixtures
from programmes.models import Pairing, StreamPriority, ThematicStream
from sources.models import Citation, Source
from tests.imports.test_seed import _seeded_db, seeded  # noqa: F401  (the seeded database)
from themes.models import Theme


def slugs(record) -> set[str]:
    return set(record.themes.values_list("slug", flat=True))


def quotes(record) -> set[str]:
    return set(
        Citation.objects.filter(
            object_id=record.pk, content_type__model=record._meta.model_name
        ).values_list("quote", flat=True)
    )


def test_streams_carry_the_themes_their_document_states():
    nbs = ThematicStream.objects.get(slug="urban-act-nbs-flood-management")
    assert slugs(nbs) == {"nature-based-solutions", "flood-management", "climate-change-adaptation"}
    assert "Integrating NbS into municipal climate adaptation strategies" in quotes(nbs)
    assert slugs(ThematicStream.objects.get(slug="urban-act-sustainable-mobility")) >= {
        "urban-mobility"
    }
    assert slugs(ThematicStream.objects.get(slug="citynet-disaster")) == {"disaster-risk-reduction"}


def test_pairings_and_activities_carry_their_themes_with_a_quote():
    dengue = Pairing.objects.get(title__startswith="C2C consultation on dengue fever")
    assert slugs(dengue) == {"vector-control"}
    assert "C2C CONSULTATION ON DENGUE FEVER" in quotes(dengue)
    prato = Pairing.objects.get(title="Taichung – Prato")
    assert slugs(prato) == {"waste-circular-economy"}
    conference = Activity.objects.get(title="ICP-AGIR EU-Asia Final Conference")
    assert slugs(conference) == {
        "energy-transition",
        "air-quality",
        "waste-circular-economy",
        "gender-inclusion",
    }
    assert (
        Source.objects.get(seed_file__startswith="000_")
        .themes.filter(slug="flood-management")
        .exists()
    )


def test_every_theme_of_the_seed_is_in_the_vocabulary_and_a_second_load_changes_nothing():
    before = {pairing.pk: slugs(pairing) for pairing in Pairing.objects.all()}
    load_seed()
    assert {pairing.pk: slugs(pairing) for pairing in Pairing.objects.all()} == before
    assert (
        not StreamPriority.objects.filter(themes__isnull=False)
        .exclude(stream__themes__isnull=False)
        .exists()
    )


def test_an_unknown_theme_in_the_fixtures_is_refused_in_words():
    data = read_fixtures()
    stream = next(iter(data.records["stream"].values()))
    stream.fields["themes"] = [{"theme": "atlantis", "quotes": []}]
    Theme.objects.filter(slug="atlantis").delete()
    from imports.seed.load import SeedLoader

    with pytest.raises(SeedError, match="no theme “atlantis”"):
        SeedLoader(data).load()
