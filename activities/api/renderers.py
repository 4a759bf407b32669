"""The activities' own export format: an iCalendar feed (``activities.ical``)."""

from rest_framework import renderers

from core.api.renderers import records_of


class ICalendarRenderer(renderers.BaseRenderer):
    """Activities as an iCalendar feed of all-day events."""

    media_type = "text/calendar"
    format = "ics"
    whole_list = True
    attachment = True
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        from activities.ical import calendar_from_activities, list_page_url

        request = (renderer_context or {}).get("request")
        return calendar_from_activities(records_of(data), list_url=list_page_url(request)).to_ical()
