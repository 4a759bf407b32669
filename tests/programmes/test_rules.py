"""Object permissions: officers edit only their networks' programmes."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission

from activities.models import Activity
from programmes.choices import StaffRole
from programmes.models import NetworkStaff, Pairing
from tests.factories import (
    ActivityFactory,
    NetworkFactory,
    PairingFactory,
    ProgrammeNetworkFactory,
    ThematicStreamFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    """Two programmes run by two networks; an officer of the first network."""
    uclg, citynet = NetworkFactory(name="UCLG ASPAC"), NetworkFactory(name="CityNet")
    urban_act = ProgrammeNetworkFactory(network=uclg).programme
    clusters = ProgrammeNetworkFactory(network=citynet).programme
    officer = User.objects.create_user("officer")
    NetworkStaff.objects.create(user=officer, network=uclg, role=StaffRole.OFFICER)
    partner = User.objects.create_user("partner")
    NetworkStaff.objects.create(user=partner, network=uclg, role=StaffRole.PARTNER)
    return {
        "officer": officer,
        "partner": partner,
        "own": PairingFactory(programme=urban_act),
        "other": PairingFactory(programme=clusters),
        "own_activity": ActivityFactory(programme=urban_act),
        "other_activity": ActivityFactory(programme=clusters),
        "own_stream": ThematicStreamFactory(programme=urban_act),
        "other_stream": ThematicStreamFactory(programme=clusters),
    }


def test_officer_edits_pairings_activities_and_streams_of_own_programmes(world):
    officer = world["officer"]
    assert officer.has_perm("programmes.change_pairing", world["own"])
    assert officer.has_perm("programmes.delete_pairing", world["own"])
    assert officer.has_perm("activities.change_activity", world["own_activity"])
    assert officer.has_perm("programmes.change_thematicstream", world["own_stream"])
    assert officer.has_perm("programmes.add_pairing")


def test_officer_cannot_edit_another_networks_programme(world):
    officer = world["officer"]
    assert not officer.has_perm("programmes.change_pairing", world["other"])
    assert not officer.has_perm("activities.delete_activity", world["other_activity"])
    assert not officer.has_perm("programmes.change_thematicstream", world["other_stream"])
    assert not officer.has_perm("programmes.change_programme", world["own"].programme)


def test_partner_edits_nothing_unless_granted(world):
    partner = world["partner"]
    assert not partner.has_perm("programmes.change_pairing", world["own"])
    assert not partner.has_perm("programmes.add_pairing")
    partner.user_permissions.add(Permission.objects.get(codename="change_pairing"))
    partner = User.objects.get(pk=partner.pk)  # permissions are cached per instance
    assert partner.has_perm("programmes.change_pairing", world["other"])


def test_admin_edits_everything(world):
    admin = User.objects.create_superuser("admin", "a@example.org", "x")
    assert admin.has_perm("programmes.change_pairing", world["other"])
    assert admin.has_perm("activities.delete_activity", world["other_activity"])


def test_unpublished_records_are_visible_only_to_their_officers_and_admins(world):
    own, other = world["own"], world["other"]
    Pairing.objects.filter(pk__in=[own.pk, other.pk]).update(is_published=False)
    Activity.objects.filter(pk=world["other_activity"].pk).update(is_published=False)

    def visible(user, model=Pairing):
        return set(model.objects.visible_to(user))

    assert own not in visible(AnonymousUser())
    assert visible(world["officer"]) >= {own} and other not in visible(world["officer"])
    assert own not in visible(world["partner"])
    admin = User.objects.create_superuser("admin", "a@example.org", "x")
    assert {own, other} <= visible(admin)
    anonymous_activities = visible(AnonymousUser(), Activity)
    assert world["other_activity"] not in anonymous_activities
    assert world["own_activity"] in anonymous_activities
