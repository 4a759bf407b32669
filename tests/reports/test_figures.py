import datetime

import pytest

from reports.figures import programme_report
from tests.factories import ActivityFactory, CityFactory, PairingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_report_counts_pairings_activities_cities_and_stale_pairings():
    programme = ProgrammeFactory()
    bangkok, penang = CityFactory(country="TH"), CityFactory(country="MY")
    busy = PairingFactory(programme=programme, cities=[bangkok, penang], status="active")
    quiet = PairingFactory(
        programme=programme, status="agreed", start_date=datetime.date(2025, 1, 1)
    )
    ActivityFactory(
        programme=programme,
        pairing=busy,
        status="held",
        date_precision="month",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
    ).cities.add(bangkok)
    ActivityFactory(
        programme=programme,
        status="planned",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 31),
    )
    report = programme_report(programme, today=datetime.date(2026, 6, 15))

    assert report.pairings_by_status["active"] == 1
    assert report.pairings_by_status["agreed"] == 1
    assert [(m.month.month, m.held, m.planned) for m in report.months] == [
        (3, 1, 0),
        (4, 1, 0),
        (5, 0, 0),
        (6, 0, 0),
        (7, 0, 1),
    ]
    assert report.countries == ["MY", "TH"]
    assert report.totals == {"pairings": 2, "activities": 2, "cities": 4, "countries": 2}
    assert report.stale_pairings == [quiet]
    assert [a.start_date for a in report.upcoming] == [datetime.date(2026, 7, 1)]
