"""Themed records, one of them unpublished, for the filter, facet and page tests."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from partners.models import PartnerRequest
from tests import factories
from themes.models import Theme
from themes.vocabulary import load_vocabulary


@pytest.fixture(autouse=True)
def vocabulary(db):
    """The starting vocabulary (a live-server test's flush removes the migration's rows)."""
    load_vocabulary()


@pytest.fixture
def themed(db):
    """Two pairings and activities on flood management (one of each unpublished), one
    pairing on urban mobility, a stream, a source and a partner request on flood."""
    flood = Theme.objects.get(slug="flood-management")
    mobility = Theme.objects.get(slug="urban-mobility")
    programme = factories.ProgrammeFactory(name="Urban-Act")
    hidden_programme = factories.ProgrammeFactory(name="Draft programme", is_published=False)
    stream = factories.ThematicStreamFactory(programme=programme, name="NbS for flood management")
    hat_yai = factories.CityFactory(name="Hat Yai", slug="hat-yai", country="TH")
    penang = factories.CityFactory(name="Penang", slug="penang", country="MY")
    seoul = factories.CityFactory(name="Seoul", slug="seoul", country="KR")
    secret = factories.CityFactory(name="Secretville", slug="secretville", country="JP")
    flood_pairing = factories.PairingFactory(
        programme=programme, title="Hat Yai – Penang", cities=[hat_yai, penang]
    )
    hidden_pairing = factories.PairingFactory(
        programme=hidden_programme, title="Hidden flood pairing", cities=[seoul, secret]
    )
    mobility_pairing = factories.PairingFactory(
        programme=programme, title="Penang – Seoul", cities=[penang, seoul]
    )
    flood_activity = factories.ActivityFactory(programme=programme, title="Sponge city visit")
    flood_activity.cities.set([penang])
    hidden_activity = factories.ActivityFactory(
        programme=hidden_programme, title="Hidden flood workshop"
    )
    hidden_activity.cities.set([secret])
    source = factories.SourceFactory(title="Flood report", slug="flood-report")
    request = PartnerRequest.objects.create(
        city=hat_yai, theme="flood retention", description="Sponge city pilot."
    )
    for record in (
        stream,
        flood_pairing,
        hidden_pairing,
        flood_activity,
        hidden_activity,
        source,
        request,
    ):
        record.themes.add(flood)
    mobility_pairing.themes.add(mobility)
    return SimpleNamespace(**locals())


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("boss", "boss@example.org", "pw")
