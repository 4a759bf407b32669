"""File imports at /import/: an empty cell keeps the stored value, "(clear)" empties it,
and a row that cannot be read is reported with its line while the other rows import."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import City
from core.resources import CLEAR_MARKER
from tests.factories import CityFactory


@pytest.fixture
def surabaya(db):
    return CityFactory(
        name="Surabaya",
        slug="surabaya",
        country="ID",
        latitude=Decimal("-7.25"),
        longitude=Decimal("112.75"),
        population=2_874_000,
        description="East Java's capital",
    )


def upload(client, content, name="cities.csv"):
    data = content.encode() if isinstance(content, str) else content
    url = reverse("imports:upload", kwargs={"kind": "cities"})
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    url = reverse("imports:confirm", kwargs={"kind": "cities"})
    return client.post(url, {"token": response.context["token"]}, follow=True)


def test_empty_cells_leave_the_stored_values_as_they_are(client, officer, surabaya):
    response = upload(
        client,
        "slug,name,country,population,latitude,longitude,description\nsurabaya,Surabaya,ID,,,,\n",
    )
    (row,) = response.context["rows"]
    assert (row.status, row.changes) == ("unchanged", [])
    confirm(client, response)
    surabaya.refresh_from_db()
    assert (surabaya.latitude, surabaya.longitude) == (Decimal("-7.25"), Decimal("112.75"))
    assert surabaya.population == 2_874_000
    assert surabaya.description == "East Java's capital"


def test_clear_marker_empties_a_value_and_the_preview_says_so(client, officer, surabaya):
    response = upload(
        client,
        "slug,name,country,latitude,longitude,description\n"
        f"surabaya,Surabaya,ID,{CLEAR_MARKER},(Clear),{CLEAR_MARKER}\n",
    )
    (row,) = response.context["rows"]
    assert row.status == "updated"
    assert "latitude: “-7.250000” → cleared" in row.changes
    assert "description: “East Java's capital” → cleared" in row.changes
    confirm(client, response)
    surabaya.refresh_from_db()
    assert (surabaya.latitude, surabaya.longitude, surabaya.description) == (None, None, "")


def test_clearing_a_required_value_is_an_error_in_words(client, officer, surabaya):
    response = upload(client, f"slug,name,country\nsurabaya,{CLEAR_MARKER},ID\n")
    (row,) = response.context["rows"]
    assert row.status == "error"


def test_a_control_character_in_a_cell_is_an_error_on_its_line_only(client, officer, surabaya):
    response = upload(
        client,
        "slug,name,country,description\n"
        "surabaya,Surabaya,ID,Port city\n"
        "bandung,Band\x00ung,ID,\n"
        ",Iloilo City,PH,\n",
    )
    rows = response.context["rows"]
    assert [(row.line, row.status) for row in rows] == [(2, "updated"), (3, "error"), (4, "new")]
    assert "name: This cell holds a control character (U+0000)" in rows[1].errors[0]
    page = confirm(client, response).content.decode()
    assert "1 new, 1 updated, 0 unchanged. 1 row with errors left out (line 3)." in page
    assert City.objects.filter(name="Iloilo City").exists()
    assert City.objects.get(slug="surabaya").description == "Port city"


def test_a_line_with_too_many_cells_is_an_error_on_that_line(client, officer, surabaya):
    response = upload(
        client,
        'slug,name,country,description\n"surabaya",Surabaya,ID,"Port\ncity"\n'
        ",Iloilo City,PH,a,b\n,Cebu City,PH,\n",
    )
    rows = response.context["rows"]
    assert [(row.line, row.status) for row in rows] == [(2, "updated"), (4, "error"), (5, "new")]
    assert "has 5 cells but the header has 4 columns" in rows[1].errors[0]


def test_a_json_item_that_is_not_a_record_is_an_error_on_that_item(client, officer, surabaya):
    items = [
        {"slug": "surabaya", "name": "Surabaya", "country": "ID", "description": "Port"},
        "Iloilo City",
        {"name": "Cebu City", "country": "PH", "description": ["not", "text"]},
        {"name": "Iloilo City", "country": "PH"},
    ]
    response = upload(client, json.dumps(items), name="cities.json")
    rows = response.context["rows"]
    assert [(row.line, row.status) for row in rows] == [
        (1, "updated"),
        (2, "error"),
        (3, "error"),
        (4, "new"),
    ]
    assert "not an object" in rows[1].errors[0]
    assert "“description” holds a list" in rows[2].errors[0]
    assert "item" in response.content.decode().lower()


def test_xlsx_rows_are_named_by_their_sheet_row(client, officer, surabaya):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "name", "country"])
    sheet.append(["surabaya", "Surabaya", "ID"])
    sheet.append([None, None, None])
    sheet.append([None, "Bacolodd", "PH"])
    content = io.BytesIO()
    book.save(content)
    response = upload(client, content.getvalue(), name="cities.xlsx")
    rows = response.context["rows"]
    assert [(row.line, row.status) for row in rows] == [(2, "unchanged"), (4, "error")]
