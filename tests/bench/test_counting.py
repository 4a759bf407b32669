"""Estimated counts for long lists (core.counting), proposed by the benchmark."""

from django.db import connection

from cities.models import City
from core.counting import EstimatedCountPaginator, estimated_count, fast_count
from tests.factories import CityFactory


def analyse_cities():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cities_city")


def test_fast_count_counts_short_lists_exactly(db):
    CityFactory.create_batch(3)
    CityFactory(country="PH")

    assert fast_count(City.objects.all()) == (4, True)
    assert fast_count(City.objects.filter(country="TH")) == (3, True)


def test_estimated_count_of_a_whole_table_reads_the_statistics(db):
    CityFactory.create_batch(20)
    analyse_cities()

    assert estimated_count(City.objects.all()) == 20


def test_estimated_count_of_a_filtered_list_asks_the_planner(db):
    CityFactory.create_batch(20)
    CityFactory.create_batch(5, country="PH")
    analyse_cities()

    assert 1 <= estimated_count(City.objects.filter(country="PH")) <= 25


def test_fast_count_gives_the_estimate_when_it_is_over_the_limit(db):
    CityFactory.create_batch(20)
    analyse_cities()

    assert fast_count(City.objects.all(), exact_below=10) == (20, False)


def test_paginator_says_whether_its_count_is_exact(db):
    CityFactory.create_batch(30)
    analyse_cities()
    paginator = EstimatedCountPaginator(City.objects.order_by("pk"), per_page=10)
    paginator.exact_below = 10

    assert paginator.count == 30
    assert not paginator.count_is_exact
    assert len(paginator.page(3).object_list) == 10
    assert EstimatedCountPaginator([1, 2, 3], per_page=2).count_is_exact
