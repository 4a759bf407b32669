"""The report's charts as geometry: bars, labels and ticks the template draws as SVG.

Plain SVG with classes for the colours (the site's CSP allows no inline styles), each
chart with a table of the same numbers beside it.
"""

import math
from dataclasses import dataclass

from programmes.choices import PairingStatus
from reports.figures import ProgrammeReport


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
