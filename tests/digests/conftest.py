"""The trust tests's world (two networks, an officer of the first) for the digest tests."""

from tests.trust.conftest import world  # noqa: F401 (fixture)
