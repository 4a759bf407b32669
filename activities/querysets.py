"""Reusable reads over activities."""

import datetime

from django.contrib.postgres.fields import DateRangeField
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateRange

from citypairing.dates import period_end


class Period(models.Func):
    """``daterange(start_date, end_date, '[]')``: an activity's days as one range, both ends
    included, which the GiST index ``activity_period_gist_idx`` holds."""

    function = "daterange"
    output_field = DateRangeField()

    def __init__(self, **extra):
        super().__init__(models.F("start_date"), models.F("end_date"), models.Value("[]"), **extra)


class ActivityQuerySet(models.QuerySet):
    def published(self):
        """Return activities visible to anonymous readers."""
        return self.filter(is_published=True)

    def overlapping(self, start: datetime.date, end: datetime.date):
        """Return activities whose period shares at least one day with ``start``–``end``.

        Said twice, with the same meaning: as ranges (``&&``), which the GiST index answers
        for counts and whole sets (no B-tree narrows "starts before the end and ends after
        the start" from both sides), and as date comparisons, which let a page ordered by
        date walk the (start_date, end_date) index and stop after its first rows.
        """
        return self.alias(period=Period()).filter(
            period__overlap=DateRange(start, end, "[]"), start_date__lte=end, end_date__gte=start
        )

    def in_month(self, year: int, month: int):
        """Return activities that take place (at least partly) in the given month."""
        first = datetime.date(year, month, 1)
        return self.overlapping(first, period_end(first, "month"))

    def upcoming(self, today: datetime.date, days: int = 90):
        """Return activities that end on or after ``today`` and start within ``days``."""
        return self.overlapping(today, today + datetime.timedelta(days=days))

    def for_city(self, city):
        """Return activities ``city`` takes part in or hosts."""
        return self.filter(models.Q(cities=city) | models.Q(location_city=city)).distinct()
