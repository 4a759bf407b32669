"""The map's data and the GeoJSON and XLSX downloads of the pages: whole programmes for the
map, one record for a record page, the lists as workbooks, hidden records never."""

import io

import openpyxl
import pytest

from programmes.models import PairingParticipant
from tests.api.data import build_registry
from tests.factories import PairingFactory


@pytest.fixture
def registry(db):
    return build_registry()


def test_map_data_draws_more_than_an_export_takes(client, registry, settings):
    # The API caps exports; the map's own address draws whole programmes (MAP_MAX_ROWS).
    settings.API_EXPORT_MAX_ROWS = 1
    PairingFactory(programme=registry.programme, title="Another pairing")
    assert client.get("/api/v1/pairings/?format=geojson").status_code == 400
    response = client.get("/map/pairings.geojson")
    assert response.status_code == 200
    assert len(response.json()["features"]) >= 2


def test_map_lines_start_at_the_hub_whatever_order_the_rows_come_in(client, registry):
    PairingParticipant.objects.create(pairing=registry.pairing, city=registry.prato)
    (feature,) = client.get("/map/pairings.geojson?programme=urban-act").json()["features"]
    hub = [float(registry.bangkok.longitude), float(registry.bangkok.latitude)]
    lines = feature["geometry"]["coordinates"]
    assert [line[0] for line in lines] == [hub, hub]
    # The others by role, then name: Iloilo and Prato are both partners.
    assert [line[1][0] for line in lines] == [
        float(registry.iloilo.longitude),
        float(registry.prato.longitude),
    ]


def test_pairing_page_offers_its_line_as_geojson(client, registry):
    page = client.get(f"/pairings/{registry.pairing.pk}/").content.decode()
    url = f"/pairings/{registry.pairing.pk}/pairing.geojson"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response["Content-Type"].startswith("application/geo+json")
    (feature,) = response.json()["features"]
    assert feature["id"] == registry.pairing.pk
    assert feature["geometry"]["type"] == "LineString"


def test_city_page_offers_its_point_and_its_pairings_as_geojson(client, registry):
    page = client.get("/cities/bangkok/").content.decode()
    assert 'href="/cities/bangkok/city.geojson"' in page
    assert 'href="/map/pairings.geojson?city=bangkok"' in page
    (feature,) = client.get("/cities/bangkok/city.geojson").json()["features"]
    assert feature["properties"]["slug"] == "bangkok"
    assert feature["geometry"]["type"] == "Point"


def test_record_geojson_of_a_hidden_or_missing_record_is_a_json_404(client, registry):
    registry.pairing.is_published = False
    registry.pairing.save()
    response = client.get(f"/pairings/{registry.pairing.pk}/pairing.geojson")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert client.get("/cities/no-such-city/city.geojson").status_code == 404


def test_lists_export_xlsx_with_the_csv_columns(client, registry):
    registry.bangkok.description = '=HYPERLINK("http://evil")'
    registry.bangkok.save()
    page = client.get("/cities/?country=TH").content.decode()
    assert "/api/v1/cities/?country=TH&amp;format=xlsx" in page
    response = client.get("/api/v1/cities/?country=TH&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="city.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    csv_header = client.get("/api/v1/cities/?country=TH&format=csv").content.decode("utf-8-sig")
    assert ",".join(header) == csv_header.splitlines()[0]
    description = rows[0][header.index("description")]
    assert description.startswith("'=")  # a formula in a spreadsheet stays text


def test_xlsx_errors_are_json(client, registry):
    response = client.get("/api/v1/pairings/?format=xlsx&status=bogus")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
