"""Export formats: CSV for every list, GeoJSON for cities and pairings, iCalendar for activities."""

import csv
import io

import icalendar
import pytest

from tests.api.data import build_registry
from tests.api.test_resources import RESOURCES


@pytest.fixture
def registry(db):
    return build_registry()


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_exports_csv_with_stable_columns(api, registry, resource):
    response = api.get(f"/api/v1/{resource}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["id", "url"]
    # Columns come from the serializer, not the data: an empty list has the same header.
    empty = api.get(f"/api/v1/{resource}/?format=csv&modified_since=2999-01-01T00:00:00Z")
    assert empty.content.decode("utf-8-sig").splitlines() == [",".join(header)]
    assert len(rows(response)) == api.get(f"/api/v1/{resource}/").json()["count"]


def test_csv_flattens_embedded_objects_and_lists(api, registry):
    response = api.get(f"/api/v1/pairings/?format=csv&programme={registry.programme.slug}")
    (row,) = rows(response)
    assert row["programme.slug"] == "urban-act"
    assert row["stream.name"] == "Flood management"
    assert row["participants"] == "Iloilo (partner); Bangkok (pilot)"  # by role, then name
    assert row["url"].endswith(f"/api/v1/pairings/{registry.pairing.pk}/")


def test_csv_defuses_spreadsheet_formulas(api, registry):
    registry.bangkok.description = '=HYPERLINK("http://evil")'
    registry.bangkok.save()
    (row,) = rows(api.get("/api/v1/cities/?format=csv&country=TH"))
    assert row["description"].startswith("'=")


def test_csv_applies_the_filters_and_returns_the_whole_list(api, registry):
    response = api.get("/api/v1/cities/?format=csv&page_size=1&country=TH&country=PH")
    assert sorted(row["slug"] for row in rows(response)) == ["bangkok", "iloilo"]


def test_cities_geojson_is_a_collection_of_points(api, registry):
    response = api.get("/api/v1/cities/?format=geojson&country=TH")
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [float(registry.bangkok.longitude), float(registry.bangkok.latitude)],
    }
    properties = feature["properties"]
    assert {k: properties[k] for k in ("id", "name", "slug", "country")} == {
        "id": registry.bangkok.pk,
        "name": "Bangkok",
        "slug": "bangkok",
        "country": "TH",
    }
    assert properties["url"].endswith(f"/api/v1/cities/{registry.bangkok.pk}/")


def test_cities_without_coordinates_are_left_out_of_geojson(api, registry):
    registry.prato.latitude = registry.prato.longitude = None
    registry.prato.save()
    slugs = [
        f["properties"]["slug"]
        for f in api.get("/api/v1/cities/?format=geojson").json()["features"]
    ]
    assert "prato" not in slugs and "bangkok" in slugs


def test_pairings_geojson_draws_lines_between_participants(api, registry):
    body = api.get("/api/v1/pairings/?format=geojson&programme=urban-act").json()
    (feature,) = body["features"]
    assert feature["geometry"]["type"] == "LineString"
    assert feature["geometry"]["coordinates"][0] == [
        float(registry.bangkok.longitude),
        float(registry.bangkok.latitude),
    ]
    properties = feature["properties"]
    assert properties["title"] == "Bangkok – Iloilo"
    assert properties["status"] == "active"
    assert properties["programme"] == "Urban-Act"
    assert properties["url"].endswith(f"/api/v1/pairings/{registry.pairing.pk}/")
    assert properties["web_url"] == f"http://testserver/pairings/{registry.pairing.pk}/"


def test_pairing_of_three_cities_is_a_multilinestring_from_the_pilot(api, registry):
    from programmes.models import PairingParticipant

    PairingParticipant.objects.create(pairing=registry.pairing, city=registry.prato)
    feature = api.get("/api/v1/pairings/?format=geojson&programme=urban-act").json()["features"][0]
    assert feature["geometry"]["type"] == "MultiLineString"
    hub = [float(registry.bangkok.longitude), float(registry.bangkok.latitude)]
    assert all(line[0] == hub for line in feature["geometry"]["coordinates"])
    assert len(feature["geometry"]["coordinates"]) == 2


def test_activities_ics_has_all_day_events_over_whole_months(api, registry):
    response = api.get("/api/v1/activities/?format=ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    visit = events["Study visit to Iloilo"]
    assert str(visit["dtstart"].to_ical(), "ascii") == "20260310"
    assert str(visit["dtend"].to_ical(), "ascii") == "20260313"  # exclusive end
    assert "Iloilo" in str(visit["location"])
    assert str(visit["status"]) == "CONFIRMED"
    workshop = events["Workshop in Prato"]  # "May 2026"
    assert str(workshop["dtstart"].to_ical(), "ascii") == "20260501"
    assert str(workshop["dtend"].to_ical(), "ascii") == "20260601"
    assert str(workshop["uid"]) == f"activity-{registry.other_activity.pk}@citypairing"


def test_ics_applies_the_filters(api, registry):
    calendar = icalendar.Calendar.from_ical(
        api.get("/api/v1/activities/?format=ics&city=prato").content
    )
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Workshop in Prato"]


def test_single_record_in_an_export_format(api, registry):
    response = api.get(f"/api/v1/cities/{registry.bangkok.pk}/?format=geojson")
    assert len(response.json()["features"]) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/?format=geojson",
        "/api/v1/networks/?format=ics",
        "/api/v1/cities/?format=xml",
    ],
)
def test_format_a_resource_does_not_offer_is_404(api, registry, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_errors_are_json_even_when_csv_was_asked_for(api, registry):
    response = api.get("/api/v1/pairings/?format=csv&status=bogus")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "status" in response.json()["errors"]


def test_exports_are_capped_with_a_clear_error(api, registry, settings):
    settings.API_EXPORT_MAX_ROWS = 2
    response = api.get("/api/v1/cities/?format=csv")
    assert response.status_code == 400
    assert "narrow the filters" in response.json()["errors"]["format"][0]
    assert api.get("/api/v1/cities/?format=csv&country=TH&country=PH").status_code == 200
