"""My work: what an officer should follow up, and their calendar subscription."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from activities.api.serializers import ActivitySerializer
from activities.api.views import ActivityViewSet
from activities.ical import calendar_from_activities
from followup.models import CalendarSubscription, new_token
from followup.panels import rows_of
from followup.services import activities_of, my_work, today_for
from programmes.rules import managed_programme_ids

# The calendar covers activities from this many days back (a calendar app keeps the rest).
CALENDAR_PAST_DAYS = 365


class MyWorkView(LoginRequiredMixin, TemplateView):
    template_name = "followup/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        subscription = CalendarSubscription.objects.filter(user=user).first()
        work = my_work(user)
        context.update(
            {
                "work": work,
                "work_rows": rows_of(user, work),
                "calendar_url": self.request.build_absolute_uri(subscription.get_absolute_url())
                if subscription
                else "",
            }
        )
        return context


@require_POST
def calendar_regenerate(request):
    """Give the user a new secret calendar address; the old one stops working."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('login')}?next={reverse('followup:my_work')}")
    with transaction.atomic():
        subscription, created = CalendarSubscription.objects.select_for_update().get_or_create(
            user=request.user
        )
        if not created:
            subscription.token = new_token()
            subscription.save(update_fields=["token", "modified"])
    messages.success(
        request,
        "Your calendar address is ready: add it to your calendar app."
        if created
        else "Your calendar has a new address: the old one no longer works.",
    )
    return HttpResponseRedirect(f"{reverse('followup:my_work')}#calendar")


def calendar_feed(request, token: str):
    """The iCalendar feed of the activities of the subscriber's programmes, published or
    not; anyone holding the secret address reads it, so it is the subscriber's to keep."""
    subscription = CalendarSubscription.objects.select_related("user").filter(token=token).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404("No calendar has this address: make a new one on your My work page.")
    user = subscription.user
    today = today_for(None)
    since = today - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    ids = activities_of(user, list(managed_programme_ids(user))).filter(end_date__gte=since)
    # The API's own read of activities (its prefetches), so the feed says what the API says.
    activities = ActivityViewSet.queryset.filter(pk__in=ids.values("pk")).order_by(
        "start_date", "id"
    )
    rows = ActivitySerializer(activities, many=True, context={"request": request}).data
    calendar = calendar_from_activities(rows)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
