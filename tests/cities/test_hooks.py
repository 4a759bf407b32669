"""Cities import nothing of the apps above them: those fill the city pages' hooks."""

from activities.sections import city_activities
from cities.filtersets import CityFilterSet
from core.views.records import PAGE_SECTIONS
from programmes.sections import city_programmes


def test_the_city_page_gets_its_sections_from_programmes_and_activities():
    assert PAGE_SECTIONS["cities.city"] == [city_programmes, city_activities]


def test_the_city_lists_get_their_network_and_programme_filters_from_programmes():
    filters = CityFilterSet.base_filters
    assert {"network_id", "network", "programme_id", "programme"} <= filters.keys()
    assert filters["programme"].method == "filter_programme"
    assert {"network_id", "network"} <= CityFilterSet.distinct_filters
