import pytest

from sources.models import Citation, Source
from tests.factories import CitationFactory, CityFactory, SourceFactory
from tests.helpers import assert_invalid, rejected_by_database

pytestmark = pytest.mark.django_db


def test_citation_links_any_record_to_a_source():
    city = CityFactory(name="Lalitpur")
    citation = CitationFactory(record=city, quote="C2C Consultation on Dengue Fever")
    assert list(city.citations.all()) == [citation]
    assert citation.record == city


def test_citation_rejects_blank_quote():
    citation = CitationFactory.build(source=SourceFactory(), record=CityFactory(), quote="   ")
    assert_invalid(citation, "quote", "Give the passage")
    with rejected_by_database("citation_quote_not_blank"):
        citation.save()


def test_citation_rejects_overlong_quote():
    citation = CitationFactory.build(source=SourceFactory(), record=CityFactory(), quote="x" * 2001)
    assert_invalid(citation, "quote", "2,000 characters or fewer")
    with rejected_by_database("citation_quote_short"):
        citation.save()


def test_same_quote_is_cited_once_per_record():
    citation = CitationFactory()
    duplicate = Citation(source=citation.source, record=citation.record, quote=citation.quote)
    with rejected_by_database("citation_unique_quote_per_record"):
        duplicate.save()


def test_seed_file_is_unique_when_given():
    SourceFactory(seed_file="000_36ba59472e02dc02.txt")
    SourceFactory(seed_file="")
    SourceFactory(seed_file="")  # many sources have no seed file
    with rejected_by_database("source_unique_seed_file"):
        Source.objects.create(title="Again", slug="again", seed_file="000_36ba59472e02dc02.txt")
