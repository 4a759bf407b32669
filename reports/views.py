"""A programme's report: the page (charts drawn on the server as SVG, tables, print) and CSV.

The figures come from ``reports.figures.programme_report`` and the charts' geometry from
``reports.charts``; the page and the CSV both read the same figures, so they always agree.
Both are served under the programme's address (``programmes:programme_report``,
``programmes:programme_report_csv``): ``ReportsConfig.ready()`` registers them with
``core.views.registry``, so programmes imports nothing of this app.
"""

import csv
import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, View

from core.api.renderers import cell
from core.spreadsheets import BOM
from core.views.records import may
from core.visibility import visible_to
from programmes.choices import PairingStatus
from programmes.models import Programme
from reports.charts import month_chart, status_chart
from reports.figures import ProgrammeReport, programme_report

DEFAULT_STALE_MONTHS = 6
MAX_STALE_MONTHS = 120
UPCOMING_DAYS = 90


def today() -> datetime.date:
    """The report's date (a function, so tests can fix it)."""
    return timezone.localdate()


def stale_months_from(query) -> tuple[int, str]:
    """Return the stale threshold from ``?stale=`` and an error message if it was refused."""
    raw = query.get("stale", "").strip()
    if not raw:
        return DEFAULT_STALE_MONTHS, ""
    try:
        months = int(raw)
    except ValueError:
        months = 0
    if not 1 <= months <= MAX_STALE_MONTHS:
        return DEFAULT_STALE_MONTHS, (
            f"“{raw}” is not a number of months from 1 to {MAX_STALE_MONTHS}: "
            f"showing {DEFAULT_STALE_MONTHS} months."
        )
    return months, ""


def report_for(request, programme: Programme) -> tuple[ProgrammeReport, str]:
    stale_months, error = stale_months_from(request.GET)
    report = programme_report(
        programme,
        today=today(),
        stale_months=stale_months,
        visible=lambda queryset: visible_to(request.user, queryset),
    )
    return report, error


# --- Pages ------------------------------------------------------------------------------


class ProgrammeReportView(DetailView):
    model = Programme
    template_name = "reports/programme_report.html"
    context_object_name = "programme"

    def get_queryset(self):
        return visible_to(self.request.user, Programme.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, stale_error = report_for(self.request, self.object)
        context.update(
            {
                "report": report,
                "stale_error": stale_error,
                "status_rows": [
                    (value, text, report.pairings_by_status.get(value, 0))
                    for value, text in PairingStatus.choices
                ],
                "status_chart": status_chart(report),
                "month_chart": month_chart(report),
                "upcoming_days": UPCOMING_DAYS,
                # The activities whose edit page the reader may open (to say what happened).
                "editable": {
                    activity.pk
                    for activity in (*report.needs_update, *report.upcoming)
                    if may(self.request.user, "change", activity)
                },
                "csv_query": self.request.GET.urlencode(),
            }
        )
        return context


class ProgrammeReportCsvView(View):
    """The report's figures as CSV: one block per table, each with its own header row."""

    model = Programme

    def get(self, request, slug):
        return programme_report_csv(request, slug)


def programme_report_csv(request, slug):
    """Return the CSV of the report of the programme ``slug`` (404 if not visible)."""
    programme = get_object_or_404(visible_to(request.user, Programme.objects.all()), slug=slug)
    report, _ = report_for(request, programme)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{programme.slug}.csv"'
    response.write(BOM)
    writer = csv.writer(response)

    def rows(*lines):
        for line in lines:
            writer.writerow([cell(value) for value in line])

    rows(
        ["Programme report", programme.name],
        ["As of", report.today.isoformat()],
        ["Pairings", report.totals["pairings"]],
        ["Activities", report.totals["activities"]],
        ["Cities reached", report.totals["cities"]],
        ["Countries reached", report.totals["countries"]],
        [],
        ["Pairings by status"],
        ["Status", "Pairings"],
        *[[text, report.pairings_by_status.get(value, 0)] for value, text in PairingStatus.choices],
        [],
        ["Activities by month"],
        ["Month", "Held or confirmed", "Planned", "Cancelled"],
        *[[f"{m.month:%Y-%m}", m.held, m.planned, m.cancelled] for m in report.months],
    )
    if report.years:
        rows(
            [],
            ["Activities dated only to the year"],
            ["Year", "Held or confirmed", "Planned", "Cancelled"],
            *[[y.year, y.held, y.planned, y.cancelled] for y in report.years],
        )
    rows(
        [],
        ["Cities reached"],
        ["City", "Country", "Country code"],
        *[[city.name, city.country.name, city.country.code] for city in report.cities],
        [],
        [f"Stale pairings (no activity in {report.stale_months} months)"],
        ["Pairing", "Status", "Last seen"],
        *[
            [pairing.title, pairing.get_status_display(), pairing.last_seen.isoformat()]
            for pairing in report.stale_pairings
        ],
        [],
        ["Activities needing an update (dates passed, still planned or confirmed)"],
        ["Start", "End", "Activity", "Status"],
        *[
            [
                activity.start_date.isoformat(),
                activity.end_date.isoformat(),
                activity.title,
                activity.get_status_display(),
            ]
            for activity in report.needs_update
        ],
        [],
        [f"Upcoming activities (next {UPCOMING_DAYS} days)"],
        ["Start", "End", "Activity", "Status", "Where"],
        *[
            [
                activity.start_date.isoformat(),
                activity.end_date.isoformat(),
                activity.title,
                activity.get_status_display(),
                activity.location_city.name if activity.location_city else activity.location,
            ]
            for activity in report.upcoming
        ],
    )
    return response
