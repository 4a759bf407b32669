"""``/api/v1/cities/{id}/partner-suggestions/`` on the seed data."""

import pytest

WASTE = "urban-act-waste-circular-economy"


@pytest.fixture
def url(city):
    return lambda slug: f"/api/v1/cities/{city(slug).pk}/partner-suggestions/"


def test_suggestions_with_reasons_by_stream_slug_or_id(client, url, stream):
    by_slug = client.get(url("hat-yai"), {"stream": WASTE})
    assert by_slug.status_code == 200
    body = by_slug.json()
    assert body["city"]["name"] == "Hat Yai"
    assert body["stream"] == {"id": stream(WASTE).pk, "slug": WASTE, "name": stream(WASTE).name}
    first = body["results"][0]
    assert first["rank"] == 1 and first["city"]["name"] == "Khon Kaen"
    assert first["reasons"][0] == "led 1 “Waste Management and Circular Economy” pairing"
    assert first["explanation"] == "; ".join(first["reasons"])
    assert first["distance_km"] == pytest.approx(1080, abs=1)
    assert first["web_url"].endswith("/cities/khon-kaen/")
    assert body["count"] == len(body["results"]) == 20

    by_id = client.get(url("hat-yai"), {"stream": stream(WASTE).pk, "limit": 5}).json()
    assert [r["city"]["id"] for r in by_id["results"]] == [
        r["city"]["id"] for r in body["results"][:5]
    ]


def test_filters_and_need(client, url):
    body = client.get(
        url("hat-yai"), {"stream": WASTE, "exclude_same_country": "true", "country": ["ID"]}
    ).json()
    assert [r["city"]["name"] for r in body["results"]][:1] == ["Malang"]
    assert {r["city"]["country"] for r in body["results"]} == {"ID"}
    body = client.get(url("hat-yai"), {"need": "sponge city flood retention"}).json()
    assert body["stream"] is None and body["need"] == "sponge city flood retention"
    assert {r["city"]["name"] for r in body["results"][:2]} == {"Khon Kaen", "Wichit"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "non_field_errors", "Choose a thematic stream or describe what the city needs"),
        ({"stream": "no-such-stream"}, "stream", "There is no thematic stream “no-such-stream”"),
        ({"need": "waste", "max_distance_km": "far"}, "max_distance_km", "whole number"),
        ({"need": "waste", "region": "europe"}, "region", "Select a valid choice"),
        ({"need": "waste", "country": "XX"}, "country", "Select a valid choice"),
        ({"need": "waste", "limit": "0"}, "limit", "greater than or equal to 1"),
        (
            {"need": "waste", "min_population": "9", "max_population": "1"},
            "max_population",
            "swap the two numbers",
        ),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, url, params, field, message):
    response = client.get(url("hat-yai"), params)
    assert response.status_code == 400
    body = response.json()
    assert "detail" in body
    assert any(message in text for text in body["errors"][field])


def test_an_unknown_city_is_a_404(client):
    assert client.get("/api/v1/cities/999999999/partner-suggestions/?need=x").status_code == 404
    assert client.get("/api/v1/cities/abc/partner-suggestions/?need=x").status_code == 404


def test_the_endpoint_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/cities/{id}/partner-suggestions/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"stream", "need", "exclude_same_country", "region", "country", "limit"} <= names
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_query_count_is_bounded(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        assert client.get(url("hat-yai"), {"stream": WASTE}).status_code == 200
