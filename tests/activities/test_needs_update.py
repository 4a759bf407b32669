"""Activities whose dates have passed while they are still planned or confirmed: one rule
(``needs_update``), flagged on the activity's page, in the lists, and filterable."""

import datetime

import pytest
from django.utils import timezone

from activities.choices import ActivityStatus
from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db

BADGE = "dates passed: needs update"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def overdue():
    """A study visit planned for last month and never updated."""
    city = factories.CityFactory(name="Hat Yai", slug="hat-yai")
    activity = factories.ActivityFactory(
        title="Study visit to Khon Kaen",
        status=ActivityStatus.PLANNED,
        start_date=days_from_today(-40),
        end_date=days_from_today(-38),
    )
    activity.cities.add(city)
    return activity


@pytest.fixture
def upcoming():
    return factories.ActivityFactory(
        title="Training in Wichit",
        status=ActivityStatus.PLANNED,
        start_date=days_from_today(10),
    )


def test_the_queryset_and_the_record_follow_one_rule():
    """Planned or confirmed, and the last day before today: needs an update. Held and
    cancelled activities say how they went; one ending today is not late yet."""
    for status in ActivityStatus.values:
        for days in (-400, -1, 0, 1):
            factories.ActivityFactory(
                title=f"{status} {days}", status=status, start_date=days_from_today(days)
            )
    flagged = set(Activity.objects.needs_update().values_list("title", flat=True))
    assert flagged == {"planned -400", "planned -1", "confirmed -400", "confirmed -1"}
    assert {a.title for a in Activity.objects.all() if a.needs_update} == flagged


def test_a_month_precise_activity_is_late_only_after_its_month():
    """An activity planned for this month is not overdue during the month."""
    today = timezone.localdate()
    this_month = factories.ActivityFactory(
        start_date=today.replace(day=1), end_date=today.replace(day=1), date_precision="month"
    )
    this_month.full_clean()
    this_month.save()
    assert not this_month.needs_update
    assert not Activity.objects.needs_update().filter(pk=this_month.pk).exists()


def test_the_api_filters_by_needs_update(client, overdue, upcoming):
    def titles(value):
        response = client.get("/api/v1/activities/", {"needs_update": value})
        assert response.status_code == 200
        return [row["title"] for row in response.json()["results"]]

    assert titles("true") == ["Study visit to Khon Kaen"]
    assert titles("false") == ["Training in Wichit"]
    response = client.get("/api/v1/activities/", {"needs_update": "maybe"})
    assert response.status_code == 400
    assert response.json()["errors"]["needs_update"] == ["Use true or false."]


def test_the_filter_is_in_the_api_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/activities/"]["get"]["parameters"]
    (parameter,) = [p for p in parameters if p["name"] == "needs_update"]
    assert "dates have passed" in parameter["description"]


def test_the_list_flags_and_filters_them(client, overdue, upcoming):
    page = client.get("/activities/")
    html = page.content.decode()
    assert html.count(BADGE) == 1
    row = html[html.index("Study visit to Khon Kaen") :].split("</tr>")[0]
    assert BADGE in row
    assert 'name="needs_update"' in html  # in the filter panel
    page = client.get("/activities/", {"needs_update": "true"})
    assert [a.title for a in page.context["object_list"]] == ["Study visit to Khon Kaen"]


def test_the_activity_page_asks_for_an_update(client, overdue, upcoming):
    html = client.get(overdue.get_absolute_url()).content.decode()
    assert BADGE in html
    assert "Its dates have passed but it is still marked planned" in html
    html = client.get(upcoming.get_absolute_url()).content.decode()
    assert BADGE not in html and "Its dates have passed" not in html


def test_an_officer_is_pointed_to_the_edit_form(client, overdue, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="a-long-pass-phrase")
    user.user_permissions.set(Permission.objects.filter(codename="change_activity"))
    client.force_login(user)
    html = client.get(overdue.get_absolute_url()).content.decode()
    assert f'<a href="/activities/{overdue.pk}/edit/">edit it</a> to say whether' in html


def test_the_city_page_flags_them_too(client, overdue):
    html = client.get("/cities/hat-yai/").content.decode()
    activities = html[html.index('id="activities-heading"') :]
    assert BADGE in activities
