"""The cities API: the shared battery (tests/api/battery.py) with a city's data."""

from cities.models import City
from tests import factories
from tests.api.battery import APIResourceBattery


class TestCityAPI(APIResourceBattery):
    resource = "cities"
    model = City

    def make(self, world):
        return factories.CityFactory(name="Iloilo", slug="iloilo", country="PH")

    def create_data(self, world):
        return {
            "name": "Đà Nẵng",  # sent and stored as written
            "slug": "da-nang",
            "country": "VN",
            "latitude": 16.05,
            "longitude": 108.2,
        }

    def update_data(self, world):
        return {"admin_area": "Western Visayas", "population": 1_200_000}
