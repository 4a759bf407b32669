"""The seed data (Urban-Act's figures, counted by hand from its source) and an officer."""

from tests.partners.conftest import (  # noqa: F401 (fixtures)
    _seeded_db,
    officer,
    seeded,
    urban_act,
)
