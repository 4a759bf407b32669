"""Exports a spreadsheet opens safely: no live formulas, UTF-8 it decodes, named sheets."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from core.spreadsheets import BOM, defuse_formula, restore_formula
from programmes.choices import PairingStatus
from programmes.services import ParticipantSpec, pairing_create, pairing_set_status
from sources.models import Citation
from tests.factories import (
    ActivityFactory,
    CityFactory,
    ProgrammeFactory,
    SourceFactory,
)

HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+x", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x", "-", "'-6.2"],
)
def test_a_defused_formula_is_restored_exactly(text):
    defused = defuse_formula(text)
    assert defused != text and defused.startswith("'")
    assert restore_formula(defused) == text


@pytest.mark.parametrize("text", ["-6.2", "+3", "-1e5", ".5", "Iloilo", "", "'plain", "a=b"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert defuse_formula(text) == text
    assert restore_formula(text) == text


@pytest.fixture
def hostile(db):
    """A published activity titled with a formula and a city in the southern hemisphere."""
    city = CityFactory(
        name="Surabaya", slug="surabaya", country="ID", latitude=Decimal("-7.25"), admin_area="-"
    )
    programme = ProgrammeFactory(slug="urban-act")
    ActivityFactory(programme=programme, title=HOSTILE, description="Hà Nội – Huế")
    return city


def export(client, kind: str, fmt: str, query: str = ""):
    response = client.get(reverse("imports:export", kwargs={"kind": kind, "fmt": fmt}) + query)
    assert response.status_code == 200
    return response


def test_csv_export_defuses_formulas_and_starts_with_a_bom(client, hostile):
    content = export(client, "activities", "csv").content.decode("utf-8")
    assert content.startswith(BOM)
    (row,) = csv.DictReader(io.StringIO(content.removeprefix(BOM)))
    assert row["title"] == "'" + HOSTILE
    assert row["description"] == "Hà Nội – Huế"


def test_csv_export_keeps_negative_numbers_as_numbers(client, hostile):
    content = export(client, "cities", "csv", "?country=ID").content.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content))
    assert Decimal(row["latitude"]) == Decimal("-7.25")
    assert row["admin_area"] == "'-"


def test_xlsx_export_writes_strings_on_a_sheet_named_after_the_kind(client, hostile):
    content = export(client, "activities", "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "activities"
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert title.data_type == "s" and title.value == "'" + HOSTILE
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_export_keeps_negative_numbers(client, hostile):
    content = export(client, "cities", "xlsx", "?country=ID").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "cities"
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("latitude") + 1).value == "-7.250000"


def test_admin_export_defuses_formulas(admin_client, hostile):
    response = admin_client.post(
        reverse("admin:activities_activity_export"),
        {"format": "1", "activityresource_title": True},  # XLSX
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet["A"]] == ["title", "'" + HOSTILE]


def test_api_csv_starts_with_a_bom(client, hostile):
    response = client.get("/api/v1/activities/?format=csv")
    assert response.content.decode("utf-8").startswith(BOM)
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["title"] == "'" + HOSTILE
    assert row["description"] == "Hà Nội – Huế"


def test_api_csv_writes_status_changes_and_citations_in_words(client, db):
    bangkok, iloilo = CityFactory(name="Bangkok"), CityFactory(name="Iloilo")
    pairing = pairing_create(
        programme=ProgrammeFactory(),
        participants=[ParticipantSpec(bangkok.pk), ParticipantSpec(iloilo.pk)],
        status_date=datetime.date(2024, 3, 1),
    )
    pairing_set_status(
        pairing=pairing,
        status=PairingStatus.AGREED,
        changed_on=datetime.date(2024, 5, 2),
        note="MoU signed",
    )
    Citation.objects.create(
        record=pairing,
        source=SourceFactory(title="Urban-Act report"),
        quote="Bangkok and Iloilo agreed",
        locator="p. 4",
    )
    response = client.get("/api/v1/pairings/?format=csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["status_changes"] == "proposed on 2024-03-01; agreed on 2024-05-02 (MoU signed)"
    assert row["citations"] == "Urban-Act report: “Bangkok and Iloilo agreed” (p. 4)"


def test_programme_report_csv_starts_with_a_bom(client, hostile):
    response = client.get(reverse("programmes:programme_report_csv", kwargs={"slug": "urban-act"}))
    assert response.status_code == 200
    assert response.content.decode("utf-8").startswith(BOM)


def test_xlsx_export_writes_a_stored_control_character_as_an_escape(client, hostile):
    hostile.description = "bell\x07here"
    hostile.save()
    content = export(client, "cities", "xlsx", "?country=ID").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("description") + 1).value == "bell\\x07here"
