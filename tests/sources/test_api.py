"""The sources API: the shared battery (tests/api/battery.py) with a source's data."""

from sources.models import Source
from tests import factories
from tests.api.battery import APIResourceBattery


class TestSourceAPI(APIResourceBattery):
    resource = "sources"
    model = Source

    def make(self, world):
        return factories.SourceFactory(title="Urban-Act report", slug="urban-act-report")

    def make_hidden(self, world):
        # A programme's source stays its officers' until it is published.
        return factories.SourceFactory(
            title="Draft MoU", slug="draft-mou", programme=world.programme_a, is_published=False
        )

    def create_data(self, world):
        return {
            "title": "Report",
            "slug": "report",
            "document_url": "https://example.org/r.pdf",
            "text": "Wichit and Iloilo City signed a memorandum on 3 March 2026.",
            "programme": world.programme_a.pk,
        }

    def update_data(self, world):
        return {"publisher": "UCLG ASPAC"}

    def assert_created(self, body, record, world):
        assert record.url == "https://example.org/r.pdf"
        assert record.programme == world.programme_a
        assert "3 March 2026" in record.text

    def write(self, client, method, record, world):
        if method != "put":
            return super().write(client, method, record, world)
        # A source's text is read from what was sent when it was added, never replaced.
        body = {**self.create_data(world), **self.update_data(world)}
        del body["text"]
        return client.put(self.detail_url(record), body, format="json")
