"""The trust tests' world (two networks, an officer, a partner, tokens) for the history tests."""

from tests.trust.conftest import (  # noqa: F401 (fixtures)
    admin_api,
    anonymous_api,
    no_throttling,
    officer_api,
    officer_b,
    partner_api,
    world,
)
