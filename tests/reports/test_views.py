"""The Urban-Act programme's report against facts counted by hand from the source document
(fixtures/000_urban_act_workshop.yaml, the City Pairing Planning Workshop news item).

- Pairings: three, one per stream, all "proposed" (potential partners named at the
  workshop of 29–30 January 2026).
- Activities: twelve. The workshop (29–30 Jan 2026, held) and eleven planned ones:
  flood: online consultations Mar–Apr, study visits May, trainings Jun–Jul, plans Aug;
  waste: online meetings Mar–Apr, study visits May, final training Jul;
  mobility: online meetings Mar, site visits Mar–Apr, dialogue Apr, Shenzhen exchange Jun.
  Per month (an activity over two months counts in both): Jan 1 held; Feb none;
  Mar 4 planned; Apr 4; May 2; Jun 2; Jul 2; Aug 1.
- Cities taking part: flood Khon Kaen, Wichit, Hat Yai, Penang, Seoul, Chiang Rai; waste
  adds Nakhon Si Thammarat, Phitsanulok, Malang, Shizuoka, Jeju; mobility adds Chiang Mai,
  Jakarta, Surakarta, Bacolod, Malacca, Shenzhen: 17 cities in 7 countries (Thailand 7,
  Indonesia 3, Korea 2, Malaysia 2, China, Japan, the Philippines 1 each).
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from reports import views as report_views
from reports.figures import programme_report

MONTHS = [
    ("2026-01", 1, 0),
    ("2026-02", 0, 0),
    ("2026-03", 0, 4),
    ("2026-04", 0, 4),
    ("2026-05", 0, 2),
    ("2026-06", 0, 2),
    ("2026-07", 0, 2),
    ("2026-08", 0, 1),
]
THAI_CITIES = {
    "Chiang Mai",
    "Chiang Rai",
    "Hat Yai",
    "Khon Kaen",
    "Nakhon Si Thammarat",
    "Phitsanulok",
    "Wichit",
}


@pytest.fixture
def on(monkeypatch):
    """Fix the report's date."""

    def set_today(day: str):
        monkeypatch.setattr(report_views, "today", lambda: datetime.date.fromisoformat(day))

    return set_today


def report_url(name="programme_report", slug="urban-act-city-pairing"):
    return reverse(f"programmes:{name}", kwargs={"slug": slug})


def test_report_figures_match_the_hand_count(urban_act):
    report = programme_report(urban_act, today=datetime.date(2026, 2, 15))
    assert report.pairings_by_status == {
        "proposed": 3,
        "agreed": 0,
        "active": 0,
        "completed": 0,
        "dormant": 0,
        "cancelled": 0,
    }
    assert [(f"{m.month:%Y-%m}", m.held, m.planned) for m in report.months] == MONTHS
    assert report.years == []
    assert report.totals == {"pairings": 3, "activities": 12, "cities": 17, "countries": 7}
    assert report.countries == ["CN", "ID", "JP", "KR", "MY", "PH", "TH"]
    assert {c.name for c in report.cities if c.country.code == "TH"} == THAI_CITIES
    # Next 90 days from 15 Feb: the March and April activities and the May study visits.
    assert len(report.upcoming) == 7
    assert report.stale_pairings == []


def test_pairings_go_stale_after_their_last_planned_activity(urban_act):
    report = programme_report(urban_act, today=datetime.date(2027, 6, 1), stale_months=6)
    assert [(p.title.split(":")[0], p.last_seen) for p in report.stale_pairings] == [
        ("Sustainable urban mobility", datetime.date(2026, 6, 30)),
        ("Waste management and circular economy", datetime.date(2026, 7, 31)),
        ("NbS for urban flood management", datetime.date(2026, 8, 31)),
    ]


def test_the_report_page_shows_the_figures_and_charts(client, on, django_assert_max_num_queries):
    on("2026-02-15")
    with django_assert_max_num_queries(15):
        page = client.get(report_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="bar status-proposed"' in html
    assert "<title>Proposed: 3</title>" in html
    assert html.count('class="bar activity-held"') == 1  # January
    assert html.count('class="bar activity-planned"') == 6  # March to August
    assert "<title>Mar 2026: 4 planned</title>" in html
    assert "17</strong> cities" in html and "7</strong> countries" in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert "css/reports.css" in html


def test_stale_months_come_from_the_address(client, on):
    on("2027-06-01")
    # Eleven months before 1 June 2027 is 1 July 2026: only mobility (last: June) is stale.
    page = client.get(report_url(), {"stale": "11"})
    assert page.context["report"].stale_months == 11
    assert [p.last_seen.month for p in page.context["report"].stale_pairings] == [6]
    page = client.get(report_url(), {"stale": "many"})
    assert page.context["report"].stale_months == 6
    assert "“many” is not a number of months from 1 to 120" in page.content.decode()


def test_the_csv_export_has_the_same_figures(client, on):
    on("2026-02-15")
    response = client.get(report_url("programme_report_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "report-urban-act-city-pairing.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Pairings", "3"] in rows and ["Cities reached", "17"] in rows
    assert ["Proposed", "3"] in rows
    start = rows.index(["Month", "Held or confirmed", "Planned", "Cancelled"]) + 1
    assert [tuple(row[:3]) for row in rows[start : start + 8]] == [
        (month, str(held), str(planned)) for month, held, planned in MONTHS
    ]
    assert ["Khon Kaen", "Thailand", "TH"] in rows
    upcoming = rows.index(["Start", "End", "Activity", "Status", "Where"])
    assert len(rows[upcoming + 1 :]) == 7


def test_programme_page_and_dashboard_link_to_the_report(client):
    report = report_url()
    assert f'href="{report}"' in client.get("/programmes/urban-act-city-pairing/").content.decode()
    assert f'href="{report}"' in client.get("/").content.decode()


def test_unpublished_pairings_stay_out_of_the_public_report(client, urban_act, officer, on):
    on("2026-02-15")
    urban_act.pairings.filter(title__startswith="Sustainable").update(is_published=False)
    assert client.get(report_url()).context["report"].pairings_by_status["proposed"] == 2
    client.force_login(officer)  # an officer of the programme sees its unpublished records
    assert client.get(report_url()).context["report"].pairings_by_status["proposed"] == 3


def test_an_unpublished_programme_has_no_public_report(client, urban_act):
    urban_act.is_published = False
    urban_act.save()
    assert client.get(report_url()).status_code == 404
    assert client.get(report_url("programme_report_csv")).status_code == 404


def test_a_programme_dated_by_years_counts_them_once(client, on):
    """ICP-AGIR's study visits are dated to the year: counted per year, not per month."""
    on("2026-02-15")
    page = client.get(report_url(slug="icp-agir"))
    report = page.context["report"]
    year_counts = [(y.year, y.held + y.planned + y.cancelled) for y in report.years]
    assert year_counts and sum(n for _, n in year_counts) <= report.totals["activities"]
    assert "Activities known only by their year" in page.content.decode()


def test_planned_activities_past_their_dates_need_an_update(client, urban_act, on):
    """By September 2026 the eleven planned activities (March to August) are over, still
    "planned": the report lists them (page and CSV) and links to the same list."""
    report = programme_report(urban_act, today=datetime.date(2026, 9, 1))
    assert len(report.needs_update) == 11
    assert all(a.status == "planned" for a in report.needs_update)
    assert report.needs_update[0].title.startswith("Online meetings on project finance")
    assert programme_report(urban_act, today=datetime.date(2026, 3, 1)).needs_update == []

    on("2026-09-01")
    html = client.get(report_url()).content.decode()
    assert "Activities needing an update (11)" in html
    assert "?programme=urban-act-city-pairing&amp;needs_update=true" in html
    content = client.get(report_url("programme_report_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    start = rows.index(["Activities needing an update (dates passed, still planned or confirmed)"])
    assert rows[start + 1] == ["Start", "End", "Activity", "Status"]
    assert rows[start + 2][2:] == [report.needs_update[0].title, "Planned"]
    assert len(rows[start + 2 : rows.index([], start)]) == 11
