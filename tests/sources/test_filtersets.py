"""The sources' filters through the API (the same filterset as the page)."""

import pytest

from tests.api.data import ids

# Without the API's rate limits, as every API test (tests/api/conftest.py).
pytestmark = pytest.mark.usefixtures("no_throttling")


def test_sources_by_kind_verified_and_q(api, api_registry):
    r = api_registry
    assert ids(api, "/api/v1/sources/", kind="other") == [r.source.pk]
    assert ids(api, "/api/v1/sources/", is_verified="false") == []
    assert ids(api, "/api/v1/sources/", q="urban-act") == [r.source.pk]
