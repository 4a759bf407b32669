"""The activities API: the shared battery (tests/api/battery.py) with an activity's data."""

import datetime

from activities.models import Activity
from tests import factories
from tests.api.battery import APIResourceBattery


class TestActivityAPI(APIResourceBattery):
    resource = "activities"
    model = Activity
    programme_scoped = True

    def make(self, world):
        return factories.ActivityFactory(
            programme=world.programme_a, title="Study visit", start_date=datetime.date(2026, 3, 10)
        )

    def make_hidden(self, world):
        return factories.ActivityFactory(
            programme=world.programme_a, title="Secret workshop", is_published=False
        )

    def create_data(self, world):
        return {
            "title": "Peer exchange",
            "programme": world.programme_a.pk,
            "start_date": "2026-03-01",
        }

    def update_data(self, world):
        return {"title": "Peer exchange on flood maps"}
