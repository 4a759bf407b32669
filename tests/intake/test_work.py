"""An officer's work list names the sources of their programmes whose proposals wait."""

import pytest
from django.utils import timezone

from followup.services import my_work
from intake.choices import ProposalStatus
from intake.models import Proposal
from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from sources.services import source_add
from tests import factories
from tests.sources.conftest import NEWS

pytestmark = pytest.mark.django_db


def test_my_work_lists_sources_with_proposals_to_review(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    network = factories.NetworkFactory()
    programme = factories.ProgrammeFactory()
    factories.ProgrammeNetworkFactory(programme=programme, network=network)
    officer = django_user_model.objects.create_user("officer", password="a-long-pass-99")
    NetworkStaff.objects.create(user=officer, network=network, role=StaffRole.OFFICER)
    source = source_add(
        user=officer, title="News", data=NEWS.encode(), file_name="n.txt", programme=programme
    ).source
    waiting = Proposal.objects.filter(source=source, status=ProposalStatus.PROPOSED).count()
    assert waiting >= 1

    section = my_work(officer).section("proposals")
    assert [item.record for item in section.items] == [source]
    assert section.items[0].detail.startswith(f"{waiting} proposal")
    assert section.items[0].action_url == f"/sources/{source.slug}/proposals/"

    Proposal.objects.filter(source=source).update(
        status=ProposalStatus.REJECTED, decided_at=timezone.now()
    )
    assert my_work(officer).section("proposals").items == []
    # Another network's officer sees nothing of it.
    other = django_user_model.objects.create_user("other", password="a-long-pass-99")
    NetworkStaff.objects.create(
        user=other, network=factories.NetworkFactory(), role=StaffRole.OFFICER
    )
    assert my_work(other).section("proposals").items == []
