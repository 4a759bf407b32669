"""The API schema gains the ``themes`` fields and ``theme`` filters, and loses nothing.

The schema of the commit before themes (d2656bd) and this one differ only by added lines
(checked by hand when themes landed); this keeps the additions in place.
"""

import pytest

THEMED_COMPONENTS = ["ThematicStream", "Pairing", "Activity", "Source", "PartnerRequest"]
THEME_FILTERED_LISTS = [
    "/api/v1/thematic-streams/",
    "/api/v1/pairings/",
    "/api/v1/activities/",
    "/api/v1/sources/",
    "/api/v1/cities/",
    "/api/v1/partner-requests/",
]


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/schema/?format=json").json()


def test_themed_records_read_and_write_themes_as_slugs(schema):
    for name in THEMED_COMPONENTS:
        themes = schema["components"]["schemas"][name]["properties"]["themes"]
        assert themes["type"] == "array" and themes["items"]["type"] == "string", name
        assert not themes.get("readOnly"), name
        assert "themes" not in schema["components"]["schemas"][name].get("required", []), name


def test_themed_lists_take_a_theme_filter_of_slugs(schema):
    for path in THEME_FILTERED_LISTS:
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["theme"]["schema"]["items"]["type"] == "string", path
