import datetime
from decimal import Decimal

import pytest

from activities.models import Activity
from tests.factories import (
    ActivityFactory,
    PairingFactory,
    ProgrammeFactory,
    ThematicStreamFactory,
)
from tests.helpers import assert_invalid, rejected_by_database

pytestmark = pytest.mark.django_db


def test_month_precision_activity_covers_whole_months():
    activity = ActivityFactory.build(
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 1),
        date_precision="month",
    )
    activity.full_clean()
    assert activity.end_date == datetime.date(2026, 4, 30)
    assert activity.period_display == "Mar–Apr 2026"


def test_single_day_activity_ends_the_day_it_starts():
    activity = ActivityFactory.build(start_date=datetime.date(2026, 3, 18), end_date=None)
    activity.full_clean()
    assert activity.end_date == activity.start_date
    assert activity.period_display == "18 Mar 2026"


def test_activity_rejects_end_before_start():
    activity = ActivityFactory.build(
        programme=None, start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 6, 1)
    )
    assert_invalid(activity, "end_date", "cannot be before the start date")
    with rejected_by_database("activity_end_after_start"):
        activity.save()


def test_activity_rejects_negative_cost():
    activity = ActivityFactory.build(
        programme=None, cost_estimate=Decimal("-1"), cost_currency="EUR"
    )
    assert_invalid(activity, "cost_estimate", "greater than or equal to 0")
    with rejected_by_database("activity_cost_not_negative"):
        activity.save()


def test_activity_cost_needs_a_currency():
    activity = ActivityFactory.build(
        programme=None, cost_estimate=Decimal("1000"), cost_currency=""
    )
    assert_invalid(activity, "cost_currency", "Give the currency")
    with rejected_by_database("activity_cost_has_currency"):
        activity.save()


def test_activity_rejects_unknown_currency():
    activity = ActivityFactory.build(cost_estimate=Decimal("1000"), cost_currency="XYZ")
    assert_invalid(activity, "cost_currency", "not an ISO 4217 currency code")


def test_activity_with_cost_and_currency_is_accepted():
    activity = ActivityFactory.build(cost_estimate=Decimal("25000"), cost_currency="thb")
    activity.full_clean()
    assert activity.cost_currency == "THB"


def test_activity_rejects_stream_or_pairing_of_another_programme():
    activity = ActivityFactory.build(
        programme=ProgrammeFactory(), stream=ThematicStreamFactory(), pairing=PairingFactory()
    )
    assert_invalid(activity, "stream", "own programme")
    assert_invalid(activity, "pairing", "own programme")


def test_in_month_finds_activities_overlapping_the_month():
    spring = ActivityFactory(
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
        date_precision="month",
    )
    ActivityFactory(start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    assert list(Activity.objects.in_month(2026, 4)) == [spring]
