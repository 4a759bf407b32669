"""A programme's report: charts drawn on the server (SVG), tables, print and CSV.

The figures come from ``programmes.reports.programme_report``; the page and the CSV both
read them, so they always agree. Charts are plain SVG with classes for the colours (the
site's CSP allows no inline styles), each with a table of the same numbers beside it.
"""

import csv
import datetime
import math
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView

from core.api.renderers import cell
from core.spreadsheets import BOM
from core.visibility import visible_to
from programmes.choices import PairingStatus
from programmes.models import Programme
from programmes.reports import ProgrammeReport, programme_report

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


# --- Charts -----------------------------------------------------------------------------


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    css: str = ""
    anchor: str = "start"


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """Return 0 and a few round tick values up to at least ``largest``."""
    if largest <= 0:
        return [0, 1]
    step = max(1, math.ceil(largest / count))
    magnitude = 10 ** (len(str(step)) - 1)
    step = next(n * magnitude for n in (1, 2, 5, 10) if n * magnitude >= step)
    return list(range(0, math.ceil(largest / step) * step + 1, step))


def status_chart(report: ProgrammeReport) -> dict:
    """Horizontal bars: pairings by status, the statuses in their life's order."""
    label_width, bar_space, row, top = 150, 200, 30, 8
    counts = report.pairings_by_status
    largest = max(counts.values(), default=0) or 1
    rects, labels = [], []
    for index, (value, text) in enumerate(PairingStatus.choices):
        count = counts.get(value, 0)
        y = top + index * row
        width = bar_space * count / largest
        labels.append(Label(label_width - 10, y + 17, text, "chart-label", "end"))
        if count:
            rects.append(
                Rect(
                    label_width,
                    y + 4,
                    round(width, 1),
                    18,
                    f"bar status-{value}",
                    f"{text}: {count}",
                )
            )
        labels.append(Label(label_width + width + 6, y + 17, str(count), "chart-value"))
    height = top * 2 + row * len(PairingStatus.choices)
    return {"width": 400, "height": height, "rects": rects, "labels": labels}


def month_chart(report: ProgrammeReport) -> dict | None:
    """Grouped bars per month: held (or confirmed) beside planned, cancelled if any."""
    months = report.months
    if not months:
        return None
    series = [("held", "Held or confirmed"), ("planned", "Planned")]
    if any(month.cancelled for month in months):
        series.append(("cancelled", "Cancelled"))
    # A group per month; wide while there are few months, 36 units at the least.
    group = min(96, max(36, 640 // len(months)))
    gap = round(group * 0.3)
    bar = (group - gap) // len(series)
    left, top, plot_height, bottom = 40, 10, 170, 44
    largest = max(getattr(month, name) for month in months for name, _ in series)
    ticks = nice_ticks(largest)
    scale = plot_height / ticks[-1]
    width = left + group * len(months) + 10
    rects, labels, grid = [], [], []
    for tick in ticks:
        y = top + plot_height - tick * scale
        grid.append({"y": round(y, 1)})
        labels.append(Label(left - 6, y + 4, str(tick), "chart-axis", "end"))
    for index, month in enumerate(months):
        x0 = left + index * group + gap / 2
        for offset, (name, text) in enumerate(series):
            value = getattr(month, name)
            if not value:
                continue
            height = value * scale
            rects.append(
                Rect(
                    x0 + offset * bar,
                    round(top + plot_height - height, 1),
                    bar - 1,
                    round(height, 1),
                    f"bar activity-{name}",
                    f"{month.month:%b %Y}: {value} {text.lower()}",
                )
            )
        centre = x0 + bar * len(series) / 2
        labels.append(
            Label(centre, top + plot_height + 16, f"{month.month:%b}", "chart-axis", "middle")
        )
        if index == 0 or month.month.month == 1:
            labels.append(
                Label(centre, top + plot_height + 32, f"{month.month:%Y}", "chart-axis", "middle")
            )
    return {
        "width": width,
        "height": top + plot_height + bottom,
        "plot_left": left,
        "plot_right": width - 10,
        "baseline": top + plot_height,
        "grid": grid,
        "rects": rects,
        "labels": labels,
        "series": series,
    }


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
                "csv_query": self.request.GET.urlencode(),
            }
        )
        return context


def programme_report_csv(request, slug):
    """The report's figures as CSV: one block per table, each with its own header row."""
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
