"""What activities add to the record pages of the apps below: a city's, a programme's, a
stream's and a pairing's activities (``register_page_section`` in ``ActivitiesConfig.ready()``), so
those apps' views import nothing of activities."""

from activities.models import Activity
from cities.views import CITY_PAGE_ROWS
from core.counting import first_rows_and_count
from core.views.records import may
from core.visibility import visible_to


def city_activities(city, user) -> dict:
    """The latest activities in or with ``city``, and their number."""
    activities, count = first_rows_and_count(
        visible_to(user, Activity.objects.for_city(city))
        .select_related("programme", "location_city")
        .order_by("-start_date", "title"),
        CITY_PAGE_ROWS,
    )
    return {"activities": activities, "activity_count": count}


def programme_activities(programme, user) -> dict:
    """The programme's activities, first dated first."""
    return {
        "activities": visible_to(user, Activity.objects.filter(programme=programme))
        .select_related("location_city", "stream")
        .order_by("start_date", "end_date", "title")
    }


def stream_activities(stream, user) -> dict:
    """The stream's activities, first dated first."""
    return {
        "activities": visible_to(user, Activity.objects.filter(stream=stream))
        .select_related("location_city")
        .order_by("start_date", "title")
    }


def pairing_activities(pairing, user) -> dict:
    """The pairing's activities, and whether ``user`` may add one to it."""
    # An officer adds activities in their own programmes only.
    probe = Activity(programme_id=pairing.programme_id)
    return {
        "activities": visible_to(user, pairing.activities.all())
        .select_related("location_city")
        .order_by("start_date", "title"),
        "can_add_activity": may(user, "change", probe),
    }
