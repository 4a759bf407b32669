"""One visibility rule: it agrees with each model's published(), and with may_see()."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from activities.models import Activity
from citypairing.visibility import may_see, visible_to
from programmes.models import Pairing, Programme, ThematicStream


@pytest.fixture
def unpublished_programme(world):
    world.programme_b.is_published = False
    world.programme_b.save()
    return world


@pytest.mark.parametrize("model", [Programme, Pairing, Activity])
def test_anonymous_rule_is_the_querysets_published(unpublished_programme, model):
    everything = model.objects.all()
    assert set(visible_to(AnonymousUser(), everything)) == set(everything.published())


@pytest.mark.parametrize("model", [Programme, Pairing, Activity, ThematicStream])
@pytest.mark.parametrize("who", ["anonymous", "partner", "officer", "admin"])
def test_may_see_agrees_with_the_query(unpublished_programme, model, who):
    user = AnonymousUser() if who == "anonymous" else getattr(unpublished_programme, who)
    visible = set(visible_to(user, model.objects.all()))
    assert visible == {record for record in model.objects.all() if may_see(user, record)}


def test_officer_sees_their_programmes_drafts_only(world):
    pairings = set(visible_to(world.officer, Pairing.objects.all()))
    assert world.hidden_a in pairings and world.hidden_b not in pairings


def test_view_permission_grants_reading_everything(world, django_user_model):
    reader = django_user_model.objects.create_user("auditor")
    reader.user_permissions.add(Permission.objects.get(codename="view_pairing"))
    reader = django_user_model.objects.get(pk=reader.pk)
    assert set(visible_to(reader, Pairing.objects.all())) == set(Pairing.objects.all())
    assert world.hidden_activity_b not in set(visible_to(reader, Activity.objects.all()))
