"""The sources tests' programme, officers, media folder and clients, for proposals too."""

from tests.sources.conftest import media, officer_api, team  # noqa: F401
