"""The pairings' GeoJSON, written by PostgreSQL (``programmes.api.views.pairing_features``),
is the documented rule computed in Python from the same records: each pairing's located
cities sorted by role and name, a hub (the first pilot, mentor or chair city, else the
first), a LineString for two cities and a MultiLineString from the hub for more, none for
fewer; features in the list's order, with their properties."""

import datetime
import json
from decimal import Decimal

import pytest

from cities.models import City
from programmes.api.views import HUB_ROLES
from programmes.models import Pairing, PairingParticipant
from tests import factories

# Roles whose order by code point differs from a locale's (an underscore, "participant"
# before "partner"), names with accents and scripts, a city without coordinates.
CASTS = {
    "two cities": [("partner", "Iloilo"), ("pilot", "Bangkok")],
    "a chair among partners": [
        ("partner", "Zürich"),
        ("chair", "Yogyakarta"),
        ("partner", "Ávila"),
    ],
    "no hub role": [
        ("potential_partner", "Quezon"),
        ("partner", "Penang"),
        ("participant", "Ōsaka"),
    ],
    "two hub roles": [("mentor", "Seoul"), ("pilot", "Hat Yai"), ("learner", "Lalitpur")],
    "one located city": [("pilot", "Khon Kaen"), ("partner", None)],
    "none located": [("pilot", None), ("partner", None)],
    "same names": [("partner", "San Jose"), ("partner", "San Jose"), ("pilot", "高雄")],
    "many": [(role, f"City {n}") for n, role in enumerate(["partner"] * 5 + ["mentor"])],
}


def oracle(pairing: Pairing, origin: str) -> dict | None:
    """One pairing's feature by the rule, in Python."""
    points = [
        (
            part.role,
            part.city.name,
            part.city.pk,
            [float(part.city.longitude), float(part.city.latitude)],
        )
        for part in pairing.participants.select_related("city")
        if part.city.latitude is not None and part.city.longitude is not None
    ]
    if len(points) < 2:
        return None
    points.sort(key=lambda point: point[:3])
    hub = next((point for point in points if point[0] in HUB_ROLES), points[0])
    others = [point[3] for point in points if point is not hub]
    if len(others) == 1:
        geometry = {"type": "LineString", "coordinates": [hub[3], others[0]]}
    else:
        geometry = {"type": "MultiLineString", "coordinates": [[hub[3], o] for o in others]}
    return {
        "type": "Feature",
        "id": pairing.pk,
        "geometry": geometry,
        "properties": {
            "id": pairing.pk,
            "title": pairing.title,
            "status": pairing.status,
            "programme": pairing.programme.name,
            "url": f"{origin}/api/v1/pairings/{pairing.pk}/",
            "web_url": f"{origin}/pairings/{pairing.pk}/",
        },
    }


@pytest.fixture
def casts(db):
    programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    pairings = []
    for n, (title, cast) in enumerate(CASTS.items()):
        pairing = factories.PairingFactory(programme=programme, title=title, cities=[])
        for m, (role, name) in enumerate(cast):
            located = name is not None
            city = City.objects.create(
                name=name or f"Unmapped {n}-{m}",
                slug=f"city-{n}-{m}",
                country="TH",
                latitude=Decimal(f"{10 + n}.{m:06d}") if located else None,
                longitude=Decimal(f"{100 + m}.1234{n}") if located else None,
            )
            PairingParticipant.objects.create(pairing=pairing, city=city, role=role)
        pairings.append(pairing)
    factories.PairingFactory(programme=programme, is_published=False, title="Hidden")
    return pairings


@pytest.mark.parametrize("ordering", ["", "&ordering=-title", "&ordering=start_date"])
def test_pairings_geojson_follows_the_rule(api, casts, ordering):
    response = api.get(f"/api/v1/pairings/?format=geojson&programme=urban-act{ordering}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    listed = api.get(f"/api/v1/pairings/?programme=urban-act&page_size=100{ordering}").json()
    order = [row["id"] for row in listed["results"]]
    by_id = {pairing.pk: pairing for pairing in casts}
    expected = [oracle(by_id[pk], "http://testserver") for pk in order]
    body = json.loads(response.content)
    assert body == {"type": "FeatureCollection", "features": [f for f in expected if f]}
    assert len(body["features"]) == len(CASTS) - 2  # one and no located city: no line


def test_a_record_and_the_maps_download_follow_it_too(api, client, casts):
    many = casts[-1]
    (feature,) = api.get(f"/api/v1/pairings/{many.pk}/?format=geojson").json()["features"]
    assert feature == oracle(many, "http://testserver")
    (feature,) = client.get(f"/pairings/{many.pk}/pairing.geojson").json()["features"]
    assert feature["geometry"] == oracle(many, "")["geometry"]


def test_an_empty_list_is_an_empty_collection(api, casts):
    body = api.get("/api/v1/pairings/?format=geojson&programme=urban-act&status=completed").json()
    assert body == {"type": "FeatureCollection", "features": []}


def test_more_pairings_than_an_export_takes_is_a_400(api, casts, settings):
    settings.API_EXPORT_MAX_ROWS = len(CASTS) - 1
    response = api.get("/api/v1/pairings/?format=geojson&programme=urban-act")
    assert response.status_code == 400
    assert "narrow the filters" in response.json()["errors"]["format"][0]
    settings.API_EXPORT_MAX_ROWS = len(CASTS)
    assert api.get("/api/v1/pairings/?format=geojson&programme=urban-act").status_code == 200


def test_dates_do_not_matter_to_the_lines(api, casts):
    Pairing.objects.filter(pk=casts[0].pk).update(start_date=datetime.date(2020, 1, 1))
    body = api.get("/api/v1/pairings/?format=geojson&programme=urban-act").json()
    assert any(f["id"] == casts[0].pk for f in body["features"])


def city_oracle(city: City, origin: str) -> dict:
    local = city.alternative_names.filter(is_local=True).first()
    return {
        "type": "Feature",
        "id": city.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [float(city.longitude), float(city.latitude)],
        },
        "properties": {
            "id": city.pk,
            "name": city.name,
            "local_name": local.name if local else None,
            "local_language": local.language if local else None,
            "slug": city.slug,
            "country": city.country.code,
            "url": f"{origin}/api/v1/cities/{city.pk}/",
            "web_url": f"{origin}/cities/{city.slug}/",
        },
    }


@pytest.mark.parametrize("query", ["", "&ordering=-name", "&programme=urban-act", "&country=TH"])
def test_cities_geojson_follows_the_rule(api, casts, query):
    from cities.models import CityAlternativeName

    kaohsiung = City.objects.create(
        name="Kaohsiung",
        slug="kaohsiung",
        country="TW",
        latitude=Decimal("22.627278"),
        longitude=Decimal("120.301435"),
    )
    CityAlternativeName.objects.create(
        city=kaohsiung, name="高雄", kind="local", language="zh", is_local=True
    )
    response = api.get(f"/api/v1/cities/?format=geojson{query}")
    assert response.status_code == 200
    listed = api.get(f"/api/v1/cities/?page_size=100{query}").json()["results"]
    cities = City.objects.in_bulk([row["id"] for row in listed])
    expected = [
        city_oracle(cities[row["id"]], "http://testserver")
        for row in listed
        if row["latitude"] is not None and row["longitude"] is not None
    ]
    assert json.loads(response.content) == {"type": "FeatureCollection", "features": expected}
    assert expected


@pytest.mark.usefixtures("no_throttling")
def test_an_anonymous_readers_map_data_is_kept_until_the_next_change(
    transactional_db, django_user_model
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from tests.api.battery import officer_of

    network = factories.NetworkFactory()
    programme = factories.ProgrammeFactory(slug="urban-act")
    factories.ProgrammeNetworkFactory(programme=programme, network=network, role="lead")
    shown = factories.PairingFactory(programme=programme, title="Shown")
    factories.PairingFactory(programme=programme, title="Draft", is_published=False)
    anonymous, officer = APIClient(), APIClient()
    officer.force_authenticate(officer_of(network, "officer", django_user_model))
    url = "/api/v1/pairings/?format=geojson&programme=urban-act"

    def titles(client) -> list:
        return [f["properties"]["title"] for f in client.get(url).json()["features"]]

    assert titles(anonymous) == ["Shown"]
    with CaptureQueriesContext(connection) as queries:
        assert titles(anonymous) == ["Shown"]
    # The records' version (and the programme named by its slug): the answer was kept.
    assert not any("json_agg" in query["sql"] for query in queries.captured_queries)
    assert len(queries) <= 2
    # A signed-in reader's answer is their own, read each time, never the kept one.
    assert titles(officer) == ["Draft", "Shown"]
    assert titles(anonymous) == ["Shown"]
    shown.title = "Renamed"
    shown.save()
    assert titles(anonymous) == ["Renamed"]
    city = shown.participants.first().city
    city.latitude = Decimal("1.5")
    city.save()
    (feature,) = anonymous.get(url).json()["features"]
    assert 1.5 in [latitude for _, latitude in feature["geometry"]["coordinates"]]


@pytest.mark.usefixtures("no_throttling")
def test_a_large_answer_is_not_kept(transactional_db, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from core.api import views

    factories.PairingFactory(programme=factories.ProgrammeFactory(slug="urban-act"))
    monkeypatch.setattr(views, "KEPT_FEATURES_BYTES", 10)
    client = APIClient()
    url = "/api/v1/pairings/?format=geojson&programme=urban-act"
    assert len(client.get(url).json()["features"]) == 1
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(url).json()["features"]) == 1
    assert any("json_agg" in query["sql"] for query in queries.captured_queries)
