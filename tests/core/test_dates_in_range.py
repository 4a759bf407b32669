"""Every date a person enters lies between 1900 and 2100 (``core.dates``).

A year-9999 activity once made the calendar feed and the programme report fail for
everyone; the rule is a database constraint and a message on the field, on every model.
"""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from rest_framework.test import APIClient

from activities.models import Activity
from contacts.models import ContactRole, Person
from core.dates import (
    DATE_OUT_OF_RANGE,
    EARLIEST_DATE,
    LATEST_DATE,
    validate_date_in_range,
)
from partners.models import PartnerRequest
from programmes.models import Membership, Pairing, PairingStatusChange, Programme
from sources.models import Source
from tests import factories
from tests.helpers import assert_invalid, rejected_by_database
from tests.pages import activity_data

pytestmark = pytest.mark.django_db

TOO_EARLY = datetime.date(1, 1, 1)
TOO_LATE = datetime.date(9999, 12, 31)


def make_membership():
    return factories.MembershipFactory()


def make_status_change():
    pairing = factories.PairingFactory(status="agreed")
    return PairingStatusChange.objects.create(
        pairing=pairing, status="agreed", changed_on=datetime.date(2026, 1, 5)
    )


def make_partner_request():
    return PartnerRequest.objects.create(city=factories.CityFactory(), theme="Flood retention")


def make_contact_role():
    person = Person.objects.create(name="Somchai Rattanakul")
    return ContactRole.objects.create(person=person, city=factories.CityFactory())


# (model, date field, how to make a valid record, constraint name)
DATE_FIELDS = [
    (Activity, "start_date", factories.ActivityFactory, "activity_start_date_in_range"),
    (Activity, "end_date", factories.ActivityFactory, "activity_end_date_in_range"),
    (Programme, "start_date", factories.ProgrammeFactory, "programme_start_date_in_range"),
    (Programme, "end_date", factories.ProgrammeFactory, "programme_end_date_in_range"),
    (Pairing, "start_date", factories.PairingFactory, "pairing_start_date_in_range"),
    (Pairing, "end_date", factories.PairingFactory, "pairing_end_date_in_range"),
    (
        PairingStatusChange,
        "changed_on",
        make_status_change,
        "pairingstatuschange_changed_on_in_range",
    ),
    (Membership, "joined_on", make_membership, "membership_joined_on_in_range"),
    (PartnerRequest, "deadline", make_partner_request, "partnerrequest_deadline_in_range"),
    (Source, "published_on", factories.SourceFactory, "source_published_on_in_range"),
    (ContactRole, "start_date", make_contact_role, "contactrole_start_date_in_range"),
    (ContactRole, "end_date", make_contact_role, "contactrole_end_date_in_range"),
]
FIELD_IDS = [f"{model.__name__}.{field}" for model, field, _, _ in DATE_FIELDS]


def test_every_date_field_of_the_registry_has_the_rule():
    """A new date field without the range rule fails here (history event models aside)."""
    ours = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and ".venv" not in Path(config.path).parts
    ]
    assert {"activities", "programmes", "sources"} <= {config.label for config in ours}
    found = {
        (model, field.name)
        for config in ours
        for model in config.get_models()
        if not model.__name__.endswith("Event")
        for field in model._meta.concrete_fields
        if type(field) is models.DateField
    }
    assert found == {(model, field) for model, field, _, _ in DATE_FIELDS}
    for model, field, _, _ in DATE_FIELDS:
        assert validate_date_in_range in model._meta.get_field(field).validators


@pytest.mark.parametrize(("model", "field", "make", "constraint"), DATE_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("date", [TOO_EARLY, TOO_LATE])
def test_a_date_out_of_range_is_refused_on_its_field(model, field, make, constraint, date):
    record = make()
    setattr(record, field, date)
    if field == "start_date" and getattr(record, "end_date", None) is not None:
        record.end_date = max(record.end_date, date)
    assert_invalid(record, field, DATE_OUT_OF_RANGE)


@pytest.mark.parametrize(("model", "field", "make", "constraint"), DATE_FIELDS, ids=FIELD_IDS)
def test_the_database_refuses_a_date_out_of_range(model, field, make, constraint):
    record = make()
    # Moving a start earlier or an end later keeps the period in order: only this rule fails.
    date = TOO_LATE if field == "end_date" else TOO_EARLY
    with rejected_by_database(constraint):
        model.objects.filter(pk=record.pk).update(**{field: date})


@pytest.mark.parametrize(("model", "field", "make", "constraint"), DATE_FIELDS, ids=FIELD_IDS)
def test_the_first_and_last_day_of_the_range_are_accepted(model, field, make, constraint):
    record = make()
    # A status change cannot be dated in the future (another rule): its last day is today.
    latest = datetime.date.today() if field == "changed_on" else LATEST_DATE
    for date in (EARLIEST_DATE, latest):
        # A period's two ends move together (its end may not come before its start).
        period = {name: date for name in ("start_date", "end_date") if hasattr(record, name)}
        model.objects.filter(pk=record.pk).update(**(period or {field: date}))
        record.refresh_from_db()
        record.full_clean()


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"start_date": "0001-01-01", "end_date": "2026-01-01"}, "start_date"),
        ({"start_date": "2026-01-01", "end_date": "9999-12-31"}, "end_date"),
    ],
)
def test_the_api_refuses_an_activity_date_out_of_range(django_user_model, dates, field):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post("/api/v1/activities/", {"title": "Typo", **dates}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field] == [DATE_OUT_OF_RANGE]
    assert not Activity.objects.exists()


def test_the_activity_form_says_which_date_is_out_of_range(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    response = client.post(
        "/activities/new/", activity_data(start_date="0001-01-01", end_date="9999-12-31")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["start_date"] == [DATE_OUT_OF_RANGE]
    assert form.errors["end_date"] == [DATE_OUT_OF_RANGE]
    assert not Activity.objects.exists()


def test_the_pairing_form_refuses_a_status_date_out_of_range(client, django_user_model):
    from tests.pages import pairing_data

    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    programme = factories.ProgrammeFactory()
    cities = factories.CityFactory.create_batch(2)
    response = client.post(
        "/pairings/new/",
        pairing_data(
            programme,
            [(cities[0].name, "pilot"), (cities[1].name, "partner")],
            title="Two cities",
            status="agreed",
            status_changed_on="9999-12-31",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status_changed_on"] == [DATE_OUT_OF_RANGE]
    assert not Pairing.objects.exists()


@pytest.fixture
def activity_from_before_the_rule():
    """An activity from year 1 to 9999, written as raw SQL could before the constraint."""
    programme = factories.ProgrammeFactory(slug="urban-act")
    activity = factories.ActivityFactory(programme=programme)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no trigger
        for field in ("start_date", "end_date"):
            cursor.execute(
                f"ALTER TABLE activities_activity DROP CONSTRAINT activity_{field}_in_range"
            )
        cursor.execute(
            "UPDATE activities_activity SET start_date = '0001-01-01', end_date = '9999-12-31' "
            "WHERE id = %s",
            [activity.pk],
        )
    return activity


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/?format=ics",
        "/api/v1/activities/?format=csv",
        "/api/v1/activities/",
        "/programmes/urban-act/report/",
        "/programmes/urban-act/report.csv",
        "/activities/",
        "/activities/calendar/",
        "/",
        "/programmes/urban-act/",
    ],
)
def test_pages_and_feeds_survive_a_stored_date_out_of_range(
    client, activity_from_before_the_rule, url
):
    assert client.get(url).status_code == 200


def test_the_record_itself_shows_despite_its_dates_out_of_range(
    client, activity_from_before_the_rule
):
    activity = activity_from_before_the_rule
    for url in (activity.get_absolute_url(), f"/api/v1/activities/{activity.pk}/"):
        assert client.get(url).status_code == 200, url
