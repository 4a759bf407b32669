"""The digest e-mail: a seeded officer's My-work items that changed, in their time zone,
once per period; the preferences page."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from activities.models import Activity
from digests.models import DigestPreference
from digests.services import send_due_digests
from tests import factories

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
# Monday 7 December 2026, 08:30 in Bangkok (01:30 UTC); 07:30 there is too early.
MONDAY_MORNING = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=BANGKOK)


@pytest.fixture
def officer(world):
    world.officer.email = "officer-a@example.org"
    world.officer.first_name = "Anong"
    world.officer.save()
    DigestPreference.objects.create(user=world.officer, time_zone="Asia/Bangkok")
    return world.officer


@pytest.fixture
def seeded(world, officer):
    """Urban-Act (network A's): a study visit next week, a workshop whose dates passed;
    Clusters (network B's, not the officer's): a webinar next week."""
    visit = factories.ActivityFactory(
        programme=world.programme_a,
        title="Study visit to Iloilo",
        start_date=datetime.date(2026, 12, 14),
        end_date=datetime.date(2026, 12, 16),
        status="planned",
    )
    workshop = factories.ActivityFactory(
        programme=world.programme_a,
        title="Flood workshop",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 11, 3),
        status="planned",
    )
    factories.ActivityFactory(
        programme=world.programme_b,
        title="Clusters webinar",
        start_date=datetime.date(2026, 12, 10),
        status="planned",
    )
    return visit, workshop


def test_the_digest_lists_the_officers_items_with_links(seeded, officer):
    assert send_due_digests(MONDAY_MORNING) == 1
    (message,) = mail.outbox
    assert message.to == ["officer-a@example.org"]
    assert message.subject.startswith("Your registry digest:")
    body = message.body
    assert "Hello Anong" in body
    assert "Activities in the next 30 days" in body
    assert "- Study visit to Iloilo (Urban-Act): 14–16 Dec 2026" in body
    assert "Activities whose dates have passed (need an update)" in body
    assert "- Flood workshop (Urban-Act)" in body
    assert "Clusters webinar" not in body  # another network's programme
    visit, _ = seeded
    assert f"http://127.0.0.1:8000{visit.get_absolute_url()}" in body
    assert f"Edit: http://127.0.0.1:8000/activities/{visit.pk}/edit/" in body
    assert "http://127.0.0.1:8000/account/digest/" in body
    assert "Your first digest: 3 things" in body and "as of 7 December 2026" in body


def test_the_digest_comes_at_eight_in_the_officers_time_zone_once_a_week(seeded, officer):
    assert send_due_digests(MONDAY_MORNING - datetime.timedelta(hours=1)) == 0  # 07:30
    assert send_due_digests(MONDAY_MORNING) == 1
    assert send_due_digests(MONDAY_MORNING + datetime.timedelta(hours=3)) == 0  # sent already
    assert send_due_digests(MONDAY_MORNING + datetime.timedelta(days=2)) == 0  # Wednesday
    assert len(mail.outbox) == 1
    preference = DigestPreference.objects.get(user=officer)
    assert preference.last_period == "2026-W50"


def test_the_next_digest_has_only_what_changed(seeded, officer):
    visit, workshop = seeded
    send_due_digests(MONDAY_MORNING)
    Activity.objects.filter(pk=workshop.pk).update(
        title="Flood workshop (moved)", modified=MONDAY_MORNING + datetime.timedelta(days=1)
    )
    next_monday = MONDAY_MORNING + datetime.timedelta(days=7)
    assert send_due_digests(next_monday) == 1
    body = mail.outbox[1].body
    assert "Flood workshop (moved)" in body
    assert "1 thing to follow up in your programmes changed since your last digest" in body
    assert "Study visit to Iloilo" not in body  # unchanged, in the last digest
    assert mail.outbox[1].subject == "Your registry digest: 1 item changed"
    # The week after, the visit's dates have passed: it moved to another section.
    assert send_due_digests(next_monday + datetime.timedelta(days=7)) == 1
    body = mail.outbox[2].body
    needs_update = body.split("Activities whose dates have passed (need an update)")[1]
    assert "Study visit to Iloilo" in needs_update
    assert "Flood workshop" not in body


def test_daily_digests_and_off(seeded, officer):
    DigestPreference.objects.filter(user=officer).update(frequency="daily")
    tuesday = MONDAY_MORNING + datetime.timedelta(days=1)
    assert send_due_digests(tuesday) == 1
    DigestPreference.objects.filter(user=officer).update(frequency="off", last_period="")
    assert send_due_digests(tuesday + datetime.timedelta(days=1)) == 0


def test_officers_without_preferences_get_the_weekly_digest_in_utc(world):
    world.officer.email = "officer-a@example.org"
    world.officer.save()
    factories.ActivityFactory(
        programme=world.programme_a, title="Visit", start_date=datetime.date(2026, 12, 9)
    )
    monday_utc = datetime.datetime(2026, 12, 7, 8, 5, tzinfo=datetime.UTC)
    assert send_due_digests(monday_utc) == 1
    assert DigestPreference.objects.get(user=world.officer).time_zone == "UTC"
    assert [message.to for message in mail.outbox] == [["officer-a@example.org"]]


def test_the_preferences_page(client, officer):
    assert client.get("/account/digest/").status_code == 302  # sign in first
    client.force_login(officer)
    page = client.get("/account/digest/")
    assert page.status_code == 200 and "Digest e-mail" in page.text
    answer = client.post("/account/digest/", {"frequency": "daily", "time_zone": "Asia/Manila"})
    assert answer.status_code == 302
    preference = DigestPreference.objects.get(user=officer)
    assert (preference.frequency, preference.time_zone) == ("daily", "Asia/Manila")
    refused = client.post("/account/digest/", {"frequency": "hourly", "time_zone": "Mars/Base"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.text
    preference.refresh_from_db()
    assert preference.frequency == "daily"


def test_my_work_says_how_often_the_digest_comes_and_links_to_its_settings(client, officer):
    client.force_login(officer)
    page = client.get("/my-work/").text
    assert "Weekly (Monday morning), at 08:00 (Asia/Bangkok)" in page
    assert 'href="/account/digest/"' in page
    DigestPreference.objects.filter(user=officer).update(frequency="off")
    assert "Off: you get no e-mail" in client.get("/my-work/").text
    assert 'href="/my-work/"' in client.get("/account/digest/").text


def test_my_work_tells_an_officer_without_preferences_the_default(client, world):
    client.force_login(world.officer)
    assert "Weekly (Monday morning), at 08:00 (UTC)" in client.get("/my-work/").text
