"""Reusable reads over activities."""

import datetime

from django.db import models

from citypairing.dates import period_end


class ActivityQuerySet(models.QuerySet):
    def published(self):
        """Return activities visible to anonymous readers."""
        return self.filter(is_published=True)

    def overlapping(self, start: datetime.date, end: datetime.date):
        """Return activities whose period shares at least one day with ``start``–``end``.

        The index ``activity_date_order_idx`` (start_date, end_date, … INCLUDE is_published)
        answers both halves: PostgreSQL skips through the start dates and checks the end
        dates inside the index, so a count reads no table row and a page stops at 50.
        """
        return self.filter(start_date__lte=end, end_date__gte=start)

    def in_month(self, year: int, month: int):
        """Return activities that take place (at least partly) in the given month."""
        first = datetime.date(year, month, 1)
        return self.overlapping(first, period_end(first, "month"))

    def upcoming(self, today: datetime.date, days: int = 90):
        """Return activities that end on or after ``today`` and start within ``days``."""
        return self.overlapping(today, today + datetime.timedelta(days=days))

    def for_city(self, city):
        """Return activities ``city`` takes part in or hosts.

        One sub-select of ids (a UNION of two index look-ups) rather than a join with an
        OR and DISTINCT, which made PostgreSQL read every activity (3 s at a million).
        """
        taking_part = self.model.cities.through.objects.filter(city=city).values("activity_id")
        hosting = self.model.objects.filter(location_city=city).values("pk")
        return self.filter(pk__in=taking_part.union(hosting))
