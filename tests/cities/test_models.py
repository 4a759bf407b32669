from decimal import Decimal

import pytest

from cities.models import City, CityAlternativeName
from tests.factories import CityAlternativeNameFactory, CityFactory
from tests.helpers import assert_invalid, rejected_by_database

pytestmark = pytest.mark.django_db


def test_city_with_valid_coordinates_is_accepted():
    city = CityFactory.build(latitude=Decimal("16.43"), longitude=Decimal("102.83"))
    city.full_clean()
    city.save()
    assert City.objects.get(pk=city.pk).latitude == Decimal("16.430000")


def test_city_rejects_latitude_out_of_range():
    city = CityFactory.build(latitude=Decimal("91"), longitude=Decimal("10"))
    assert_invalid(city, "latitude", "between -90 and 90")
    with rejected_by_database("city_latitude_range"):
        city.save()


def test_city_rejects_longitude_out_of_range():
    city = CityFactory.build(latitude=Decimal("10"), longitude=Decimal("-181"))
    assert_invalid(city, "longitude", "between -180 and 180")
    with rejected_by_database("city_longitude_range"):
        city.save()


def test_city_rejects_half_coordinates():
    city = CityFactory.build(latitude=Decimal("10"), longitude=None)
    assert_invalid(city, "longitude", "both latitude and longitude")
    with rejected_by_database("city_coordinates_both_or_neither"):
        city.save()


def test_city_slug_is_unique():
    CityFactory(slug="hat-yai")
    duplicate = CityFactory.build(slug="hat-yai")
    assert_invalid(duplicate, "slug", "already exists")
    with rejected_by_database("slug"):
        duplicate.save()


def test_city_geonames_id_is_unique():
    CityFactory(geonames_id=1152633)
    duplicate = CityFactory.build(geonames_id=1152633)
    assert_invalid(duplicate, "geonames_id", "already exists")


def test_city_rejects_unknown_country_code():
    assert_invalid(CityFactory.build(country="XX"), "country", "is not a valid choice")


def test_alternative_name_is_unique_per_city_ignoring_case():
    alt = CityAlternativeNameFactory(name="Vichit")
    duplicate = CityAlternativeName(city=alt.city, name="VICHIT")
    with pytest.raises(Exception, match="already has that alternative name"):
        duplicate.full_clean()
    with rejected_by_database("cityaltname_unique_per_city"):
        duplicate.save()
    CityAlternativeName.objects.create(city=CityFactory(), name="Vichit")  # another city: fine


def test_search_tolerates_spelling_variants_accents_and_case():
    wichit = CityFactory(name="Wichit", admin_area="Phuket Province")
    CityAlternativeNameFactory(city=wichit, name="Vichit")
    iloilo = CityFactory(name="Iloilo City", country="PH")
    CityAlternativeNameFactory(city=iloilo, name="lloilo")
    hue = CityFactory(name="Huế", country="VN")
    CityFactory(name="Seoul", country="KR")

    assert list(City.objects.search("Vichit")) == [wichit]
    assert list(City.objects.search("iloilo")) == [iloilo]
    assert list(City.objects.search("Hue")) == [hue]
    assert wichit in City.objects.search("Wichitt")  # one letter too many
