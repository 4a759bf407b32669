"""The sources API: the shared battery (tests/api/battery.py) with a source's data."""

from sources.models import Source
from tests import factories
from tests.api.battery import APIResourceBattery


class TestSourceAPI(APIResourceBattery):
    resource = "sources"
    model = Source

    def make(self, world):
        return factories.SourceFactory(title="Urban-Act report", slug="urban-act-report")

    def create_data(self, world):
        return {"title": "Report", "slug": "report", "document_url": "https://example.org/r.pdf"}

    def update_data(self, world):
        return {"publisher": "UCLG ASPAC"}

    def assert_created(self, body, record, world):
        assert record.url == "https://example.org/r.pdf"
