"""The trust tests' world (two networks, an officer, a partner, tokens) for the history tests."""

from tests.trust.conftest import (  # noqa: F401 (fixtures)
    _without_rate_limits,
    admin_api,
    anonymous_api,
    officer_api,
    officer_b,
    partner_api,
    world,
)
