"""A pairing's status history moves forward in time, not into the future, and ends at its
status: in the service, the model, the database, the admin, the pages and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from programmes.choices import PairingStatus
from programmes.models import Pairing, PairingStatusChange
from programmes.services import ParticipantSpec, pairing_create, pairing_set_status
from tests.factories import CityFactory, ProgrammeFactory
from tests.pages import pairing_data
from tests.trust.forms import admin_form_data

TODAY = timezone.localdate()
AGREED_ON = TODAY - datetime.timedelta(days=45)
BEFORE_THAT = AGREED_ON - datetime.timedelta(days=44)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def pairing(db):
    """Proposed, then agreed 45 days ago."""
    bangkok, iloilo = CityFactory(name="Bangkok"), CityFactory(name="Iloilo")
    pairing = pairing_create(
        programme=ProgrammeFactory(),
        participants=[ParticipantSpec(bangkok.pk), ParticipantSpec(iloilo.pk)],
        status_date=AGREED_ON - datetime.timedelta(days=100),
    )
    return pairing_set_status(pairing=pairing, status=PairingStatus.AGREED, changed_on=AGREED_ON)


def history(pairing) -> list[tuple[str, datetime.date]]:
    return list(
        PairingStatusChange.objects.filter(pairing=pairing)
        .order_by("id")
        .values_list("status", "changed_on")
    )


def check_now():
    """Run the deferred database check now, as a commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS pairing_status_history IMMEDIATE")


def test_a_change_dated_before_the_previous_one_is_refused(pairing):
    before = history(pairing)
    with pytest.raises(ValidationError, match="cannot be dated before the previous one"):
        pairing_set_status(pairing=pairing, status=PairingStatus.ACTIVE, changed_on=BEFORE_THAT)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED
    assert history(pairing) == before


def test_a_change_dated_in_the_future_is_refused(pairing):
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        pairing_set_status(pairing=pairing, status=PairingStatus.COMPLETED, changed_on=TOMORROW)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED


def test_a_new_pairing_cannot_start_in_the_future(db):
    a, b = CityFactory(), CityFactory()
    with pytest.raises(ValidationError, match="future"):
        pairing_create(
            programme=ProgrammeFactory(),
            participants=[ParticipantSpec(a.pk), ParticipantSpec(b.pk)],
            status_date=TOMORROW,
        )
    assert not Pairing.objects.exists()


def test_changes_on_the_same_day_and_later_are_recorded(pairing):
    pairing_set_status(pairing=pairing, status=PairingStatus.ACTIVE, changed_on=AGREED_ON)
    pairing_set_status(pairing=pairing, status=PairingStatus.COMPLETED, changed_on=TODAY)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.COMPLETED
    assert history(pairing)[-2:] == [
        (PairingStatus.ACTIVE, AGREED_ON),
        (PairingStatus.COMPLETED, TODAY),
    ]


def test_editing_a_change_out_of_order_is_refused_by_clean(pairing):
    first = PairingStatusChange.objects.filter(pairing=pairing).order_by("id").first()
    first.changed_on = TODAY
    with pytest.raises(ValidationError, match="cannot be dated after the next one"):
        first.full_clean()


def test_the_database_refuses_a_change_out_of_order(pairing):
    with pytest.raises(IntegrityError, match="dated before"), transaction.atomic():
        PairingStatusChange.objects.create(
            pairing=pairing, status=PairingStatus.AGREED, changed_on=BEFORE_THAT
        )
        check_now()


def test_the_database_refuses_a_change_in_the_future(pairing):
    next_year = TODAY.replace(year=TODAY.year + 1)
    with pytest.raises(IntegrityError, match="future"), transaction.atomic():
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.COMPLETED)
        PairingStatusChange.objects.create(
            pairing=pairing, status=PairingStatus.COMPLETED, changed_on=next_year
        )
        check_now()


def test_the_database_refuses_a_status_that_is_not_the_latest_change(pairing):
    with pytest.raises(IntegrityError, match="latest status change"), transaction.atomic():
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ACTIVE)
        check_now()


# --- Admin, pages, API --------------------------------------------------------------------


def admin_change(admin_client, pairing, **changes):
    url = f"/admin/programmes/pairing/{pairing.pk}/change/"
    return admin_client.post(url, admin_form_data(admin_client.get(url), **changes))


def test_admin_refuses_a_status_without_its_change(admin_client, pairing):
    response = admin_change(admin_client, pairing, status=PairingStatus.ACTIVE)
    assert response.status_code == 200
    assert "add a status change for it" in response.text
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED


def test_admin_refuses_a_change_out_of_order(admin_client, pairing):
    prefix = "status_changes"
    response = admin_change(
        admin_client,
        pairing,
        status=PairingStatus.ACTIVE,
        **{
            f"{prefix}-TOTAL_FORMS": "3",
            f"{prefix}-2-status": PairingStatus.ACTIVE,
            f"{prefix}-2-changed_on": BEFORE_THAT.isoformat(),
            f"{prefix}-2-date_precision": "day",
            f"{prefix}-2-note": "",
            f"{prefix}-2-pairing": str(pairing.pk),
        },
    )
    assert response.status_code == 200
    assert "cannot be dated before the previous one" in response.text
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED


def test_admin_accepts_a_status_with_its_change(admin_client, pairing):
    prefix = "status_changes"
    response = admin_change(
        admin_client,
        pairing,
        status=PairingStatus.ACTIVE,
        **{
            f"{prefix}-TOTAL_FORMS": "3",
            f"{prefix}-2-status": PairingStatus.ACTIVE,
            f"{prefix}-2-changed_on": TODAY.isoformat(),
            f"{prefix}-2-date_precision": "day",
            f"{prefix}-2-note": "",
            f"{prefix}-2-pairing": str(pairing.pk),
        },
    )
    assert response.status_code == 302
    check_now()
    assert history(pairing)[-1] == (PairingStatus.ACTIVE, TODAY)


def test_the_edit_page_refuses_a_status_dated_before_the_previous_one(admin_client, pairing):
    rows = [(str(p.city), p.role) for p in pairing.participants.select_related("city")]
    data = pairing_data(
        pairing.programme,
        rows,
        initial=len(rows),
        title=pairing.title,
        status=PairingStatus.ACTIVE,
        status_changed_on=BEFORE_THAT.isoformat(),
    )
    response = admin_client.post(f"/pairings/{pairing.pk}/edit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "cannot be dated before the previous one" in str(errors["status_changed_on"])
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED


def test_the_api_dates_a_status_change_today_after_the_others(admin_client, pairing):
    response = admin_client.patch(
        f"/api/v1/pairings/{pairing.pk}/",
        {"status": PairingStatus.ACTIVE},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    check_now()
    assert response.json()["status_changes"][-1]["changed_on"] == TODAY.isoformat()
