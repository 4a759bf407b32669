"""``/api/v1/cities/{id}/partner-suggestions/`` on the seed data."""

import pytest

WASTE = "urban-act-waste-circular-economy"


@pytest.fixture
def url(city):
    return lambda slug: f"/api/v1/cities/{city(slug).pk}/partner-suggestions/"


def test_suggestions_with_reasons_by_stream_slug_or_id(client, url, stream):
    by_slug = client.get(url("bangkok"), {"stream": WASTE})
    assert by_slug.status_code == 200
    body = by_slug.json()
    assert body["city"]["name"] == "Bangkok"
    assert body["stream"] == {"id": stream(WASTE).pk, "slug": WASTE, "name": stream(WASTE).name}
    first = body["results"][0]
    assert first["rank"] == 1 and first["city"]["name"] == "Khon Kaen"
    assert first["reasons"][0] == (
        "pilot / host city in 1 “Waste Management and Circular Economy” pairing"
    )
    assert first["explanation"] == "; ".join(first["reasons"])
    assert first["distance_km"] == pytest.approx(390, abs=1)
    assert first["web_url"].endswith("/cities/khon-kaen/")
    assert body["count"] == len(body["results"]) == 20
    assert body["partners"] == []  # Bangkok has no Urban-Act pairing

    by_id = client.get(url("bangkok"), {"stream": stream(WASTE).pk, "limit": 5}).json()
    assert [r["city"]["id"] for r in by_id["results"]] == [
        r["city"]["id"] for r in body["results"][:5]
    ]


def test_the_city_s_partners_come_apart_from_the_suggestions(client, url, city):
    """Hat Yai is already paired with the waste stream's cities (and the flood stream's)
    in Urban-Act: they are its partners, with their role in each shared pairing."""
    body = client.get(url("hat-yai"), {"stream": WASTE}).json()
    partners = {p["city"]["name"]: p for p in body["partners"]}
    assert {"Khon Kaen", "Nakhon Si Thammarat", "Malang", "Wichit"} <= set(partners)
    assert not set(partners) & {r["city"]["name"] for r in body["results"]}
    (shared,) = partners["Nakhon Si Thammarat"]["pairings"]
    assert shared["role"] == "participant"
    assert shared["title"].startswith("Waste management and circular economy")
    assert shared["web_url"].endswith(f"/pairings/{shared['id']}/")
    assert partners["Nakhon Si Thammarat"]["explanation"].startswith("participant in “Waste")
    assert partners["Malang"]["web_url"].endswith("/cities/malang/")
    assert partners["Malang"]["distance_km"] == pytest.approx(2143, abs=1)


def test_filters_and_need(client, url):
    body = client.get(
        url("bangkok"), {"stream": WASTE, "exclude_same_country": "true", "country": ["ID"]}
    ).json()
    assert [r["city"]["name"] for r in body["results"]][:1] == ["Malang"]
    assert {r["city"]["country"] for r in body["results"]} == {"ID"}
    body = client.get(url("bangkok"), {"need": "sponge city flood retention"}).json()
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
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    answer = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "partners" in answer["required"]
    partner = schema["components"]["schemas"]["CurrentPartner"]
    assert {"city", "pairings", "explanation", "distance_km"} <= set(partner["required"])


def test_query_count_is_bounded(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        assert client.get(url("hat-yai"), {"stream": WASTE}).status_code == 200
