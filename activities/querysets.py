"""Reusable reads over activities."""

import datetime

from django.apps import apps
from django.db.models import DateField, F, Func, IntegerField, Q, Value
from django.utils import timezone

from activities.choices import STATUSES_BEFORE_THE_EVENT
from cities.querysets import contains_folded
from core.dates import period_end
from programmes.querysets import ProgrammeScopedQuerySet


class DaysBetween(Func):
    """``end - start`` of two dates in whole days: PostgreSQL's date subtraction (Django's
    own ``-`` of two dates makes an interval, which ``activity_span_idx`` would not match)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def span() -> DaysBetween:
    """Return the days from an activity's start to its end, as ``activity_span_idx`` has it."""
    return DaysBetween(F("end_date"), F("start_date"))


class EarliestStart(Func):
    """The earliest start date an activity overlapping a day can have: the day less the
    longest activity's span (``activity_span_idx`` reads it at once), never before 1
    January of the year 1.

    A STABLE function (migration 0011), not a sub-select: the planner evaluates it when it
    estimates the rows, so a period's count estimate follows the dates' statistics instead
    of PostgreSQL's default for an unknown bound (a tenth of a month's real rows, which made
    the API count a long month row by row).
    """

    function = "activity_earliest_start"
    output_field = DateField()


def needs_update_q(today: datetime.date | None = None) -> Q:
    """Return the condition "its dates have passed, yet it is still planned or confirmed".

    The one definition of an activity that needs an update: the queryset method, the
    filter (``needs_update=true``) and ``Activity.needs_update`` (its Python twin, for a
    record already read) all follow it.
    """
    return Q(
        status__in=STATUSES_BEFORE_THE_EVENT,
        end_date__lt=today or timezone.localdate(),
    )


class ActivityQuerySet(ProgrammeScopedQuerySet):
    # Published, and its programme, its stream's programme and its pairing visible too.
    belongs_to = ("programme", "stream", "pairing")

    def needs_update(self, today: datetime.date | None = None):
        """Return the activities whose dates have passed while they are still planned or
        confirmed: nobody has said yet whether they were held or cancelled."""
        return self.filter(needs_update_q(today))

    def overlapping(self, start: datetime.date, end: datetime.date):
        """Return activities whose period shares at least one day with ``start``–``end``.

        No activity lasts longer than the longest one, so none that overlaps starts before
        ``start`` minus that span: with this bound, the B-tree ``activity_date_order_idx``
        (start_date, end_date, … INCLUDE is_published) is read from there, checking the end
        dates inside the index. Without it, PostgreSQL walked every start date since the
        first year to find the period's rows (12,653 buffers for a month's 51 rows at a
        million activities).
        """
        earliest = EarliestStart(Value(start, output_field=DateField()))
        return self.filter(start_date__lte=end, end_date__gte=start, start_date__gte=earliest)

    def in_month(self, year: int, month: int):
        """Return activities that take place (at least partly) in the given month."""
        first = datetime.date(year, month, 1)
        return self.overlapping(first, period_end(first, "month"))

    def upcoming(self, today: datetime.date, days: int = 90):
        """Return activities that end on or after ``today`` and start within ``days``."""
        return self.overlapping(today, today + datetime.timedelta(days=days))

    def for_city(self, city):
        """Return activities ``city`` takes part in or hosts."""
        return self.for_cities([city])

    def for_cities(self, cities):
        """Return activities one of ``cities`` (records, ids or a sub-select of ids) takes
        part in or hosts.

        One sub-select of ids (a UNION of two index look-ups) rather than a join with an
        OR and DISTINCT, which made PostgreSQL read every activity (3 s at a million).
        """
        taking_part, hosting = self._ids_for_cities(cities)
        return self.filter(pk__in=taking_part.union(hosting))

    def _ids_for_cities(self, cities):
        """Return two sub-selects: the ids of the activities ``cities`` take part in, and of
        those they host."""
        taking_part = self.model.cities.through.objects.filter(city__in=cities).values(
            "activity_id"
        )
        hosting = self.model.objects.order_by().filter(location_city__in=cities).values("pk")
        return taking_part, hosting

    def search(self, text: str):
        """Return activities whose title, description or venue matches ``text``, or that a
        matching city takes part in or hosts.

        Case and accents aside; cities as ``CityQuerySet.meant_by`` finds them (misspellings
        too). The text columns have trigram indexes on their folded form, the cities their
        B-trees: one sub-select of ids, a UNION of index look-ups.
        """
        City = apps.get_model("cities", "City")
        text = (text or "").strip()
        if not text:
            return self
        by_text = (
            self.model.objects.order_by()
            .filter(contains_folded(text, "title", "description", "location"))
            .values("pk")
        )
        taking_part, hosting = self._ids_for_cities(City.objects.meant_by(text).values("pk"))
        return self.filter(pk__in=by_text.union(taking_part, hosting))
