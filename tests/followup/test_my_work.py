"""My work: an officer's items to follow up, on their page and on the programme report."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.choices import ActivityStatus
from followup.models import CalendarSubscription
from followup.services import my_work
from partners.choices import PartnerRequestStatus
from partners.models import PartnerRequest
from programmes.choices import PairingStatus, StaffRole
from programmes.models import NetworkStaff, Pairing
from tests import factories

TODAY = datetime.date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 0))


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def aged(pairing, created: datetime.date):
    """Backdate a pairing's creation (``created`` is set on insert)."""
    moment = timezone.make_aware(datetime.datetime.combine(created, datetime.time(12)))
    Pairing.objects.filter(pk=pairing.pk).update(created=moment)
    return pairing


def add_records(programme, n: int = 1, prefix: str = "") -> None:
    """Add ``n`` records of every kind that needs following up to ``programme``."""
    for i in range(n):
        factories.ActivityFactory(
            programme=programme, title=f"{prefix}Study visit {i}", start_date=days(10)
        )
        factories.ActivityFactory(
            programme=programme,
            title=f"{prefix}Slipped workshop {i}",
            start_date=days(-20),
            status=ActivityStatus.PLANNED,
        )
        aged(
            factories.PairingFactory(
                programme=programme, title=f"{prefix}Silent pairing {i}", status="active"
            ),
            days(-500),
        )
        aged(
            factories.PairingFactory(
                programme=programme,
                title=f"{prefix}Waiting pairing {i}",
                status=PairingStatus.PROPOSED,
            ),
            days(-120),
        )
        PartnerRequest.objects.create(
            city=factories.CityFactory(), programme=programme, theme=f"{prefix}Flood retention {i}"
        )


@pytest.fixture
def work(db, django_user_model):
    w = type("World", (), {})()
    w.network = factories.NetworkFactory(name="CityNet", slug="citynet")
    w.programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    factories.ProgrammeNetworkFactory(programme=w.programme, network=w.network)
    w.other = factories.ProgrammeFactory(name="IUC Asia", slug="iuc-asia")
    w.officer = django_user_model.objects.create_user("officer", password="a-long-pass-99")
    NetworkStaff.objects.create(user=w.officer, network=w.network, role=StaffRole.OFFICER)
    add_records(w.programme)
    add_records(w.other, prefix="Other ")
    # Not to follow up: far ahead, held, recently active, recently proposed, closed.
    factories.ActivityFactory(programme=w.programme, title="Far conference", start_date=days(45))
    factories.ActivityFactory(
        programme=w.programme,
        title="Held forum",
        start_date=days(-20),
        status=ActivityStatus.HELD,
    )
    lively = aged(
        factories.PairingFactory(programme=w.programme, title="Lively pairing", status="active"),
        days(-500),
    )
    factories.ActivityFactory(
        programme=w.programme,
        pairing=lively,
        title="Call",
        start_date=days(-60),
        status=ActivityStatus.HELD,
    )
    factories.PairingFactory(
        programme=w.programme, title="Fresh proposal", status=PairingStatus.PROPOSED
    )
    PartnerRequest.objects.create(
        city=factories.CityFactory(),
        programme=w.programme,
        theme="Closed request",
        status=PartnerRequestStatus.CLOSED,
    )
    return w


def titles(work_list, key: str) -> list[str]:
    return [item.title for item in work_list.section(key).items]


def test_my_work_lists_what_the_officer_should_follow_up(work):
    result = my_work(work.officer, now=NOW)
    assert result.today == TODAY
    assert titles(result, "programmes") == ["Urban-Act"]
    assert titles(result, "upcoming") == ["Study visit 0"]
    assert titles(result, "needs_update") == ["Slipped workshop 0"]
    assert titles(result, "silent") == ["Silent pairing 0"]
    assert titles(result, "proposed") == ["Waiting pairing 0"]
    assert [item.record.theme for item in result.section("requests").items] == ["Flood retention 0"]
    assert result.count == 5


def test_each_item_links_to_its_record_and_its_action(work):
    result = my_work(work.officer, now=NOW)
    (slipped,) = result.section("needs_update").items
    assert slipped.url == f"/activities/{slipped.record.pk}/"
    assert slipped.action_url == f"/activities/{slipped.record.pk}/edit/"
    (silent,) = result.section("silent").items
    assert silent.action_url == f"/activities/new/?pairing={silent.record.pk}"
    (waiting,) = result.section("proposed").items
    assert waiting.action_url == f"/pairings/{waiting.record.pk}/edit/"


def test_the_silence_threshold_is_a_setting(work, settings):
    settings.FOLLOWUP_SILENT_MONTHS = 1
    assert titles(my_work(work.officer, now=NOW), "silent") == [
        "Lively pairing",
        "Silent pairing 0",
    ]


def test_someone_who_is_no_officer_has_nothing_to_follow_up(work, django_user_model):
    reader = django_user_model.objects.create_user("reader")
    result = my_work(reader, now=NOW)
    assert result.programmes == [] and result.count == 0


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my-work/").status_code == 200
    return len(queries)


def test_the_page_reads_a_fixed_number_of_queries(work, monkeypatch):
    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    client = Client()
    client.force_login(work.officer)
    few = page_queries(client)
    add_records(work.programme, n=6, prefix="More ")
    many = page_queries(client)
    assert many == few
    assert "More Study visit 5" in client.get("/my-work/").content.decode()


def test_the_page_shows_the_items_with_their_actions(work, monkeypatch):
    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    client = Client()
    client.force_login(work.officer)
    page = client.get("/my-work/").content.decode()
    for title in ("Study visit 0", "Slipped workshop 0", "Silent pairing 0", "Waiting pairing 0"):
        assert title in page
    assert "Other " not in page
    assert "Say if it was held" in page and "Agree or cancel it" in page


def test_visitors_are_sent_to_log_in(db):
    response = Client().get("/my-work/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_programme_report_shows_the_same_items_to_every_reader(work, monkeypatch):
    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    page = Client().get("/programmes/urban-act/report/").content.decode()
    assert "To follow up" in page and "Slipped workshop 0" in page and "Waiting pairing 0" in page
    assert "Say if it was held" not in page  # a visitor cannot act on it
    client = Client()
    client.force_login(work.officer)
    assert "Say if it was held" in client.get("/programmes/urban-act/report/").content.decode()


def test_the_report_hides_unpublished_items_from_visitors(work, monkeypatch):
    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    Pairing.objects.filter(title="Waiting pairing 0").update(is_published=False)
    page = Client().get("/programmes/urban-act/report/").content.decode()
    assert "Waiting pairing 0" not in page


def test_the_calendar_address_shows_the_officers_activities_published_or_not(work):
    hidden = factories.ActivityFactory(
        programme=work.programme, title="Unpublished retreat", start_date=timezone.localdate()
    )
    hidden.is_published = False
    hidden.save()
    factories.ActivityFactory(
        programme=work.other, title="Someone else's retreat", start_date=timezone.localdate()
    )
    client = Client()
    client.force_login(work.officer)
    assert client.post("/my-work/calendar/new/").status_code == 302
    token = CalendarSubscription.objects.get(user=work.officer).token
    feed = Client().get(f"/my-work/calendar/{token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert "Unpublished retreat" in text and "Someone else" not in text
    assert token in client.get("/my-work/").content.decode()


def test_a_new_calendar_address_voids_the_old_one(work):
    client = Client()
    client.force_login(work.officer)
    client.post("/my-work/calendar/new/")
    old = CalendarSubscription.objects.get(user=work.officer).token
    client.post("/my-work/calendar/new/")
    new = CalendarSubscription.objects.get(user=work.officer).token
    assert new != old
    assert Client().get(f"/my-work/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/my-work/calendar/{new}.ics").status_code == 200
    assert Client().get("/my-work/calendar/guess.ics").status_code == 404


def test_the_report_lists_upcoming_and_slipped_activities_once(work, monkeypatch):
    """The report's own lists hold them (with the action for who may edit); its
    follow-up section does not repeat them."""
    monkeypatch.setattr("followup.services.today_for", lambda now: TODAY)
    monkeypatch.setattr("reports.views.today", lambda: TODAY)
    page = Client().get("/programmes/urban-act/report/").content.decode()
    assert page.count(">Slipped workshop 0<") == 1 and page.count(">Study visit 0<") == 1
    assert "Waiting pairing 0" in page  # the follow-up section's other items stay
    client = Client()
    client.force_login(work.officer)
    page = client.get("/programmes/urban-act/report/").content.decode()
    assert page.count(">Slipped workshop 0<") == 1 and page.count("Say if it was held") == 1
