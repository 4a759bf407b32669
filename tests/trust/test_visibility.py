"""One visibility rule per model (its QuerySet's ``visible_to``): a record is visible only
when everything it belongs to is visible to the reader."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from activities.models import Activity
from core.visibility import visible_count, visible_pks, visible_to
from partners.models import PartnerRequest
from programmes.models import (
    Pairing,
    PairingParticipant,
    Programme,
    StreamMember,
    ThematicStream,
)
from sources.models import Citation
from tests import factories

MODELS = [Programme, ThematicStream, Pairing, Activity, PairingParticipant, StreamMember]


@pytest.fixture
def unpublished_programme(world):
    """Clusters (network B's) unpublished, its own records still flagged published."""
    world.programme_b.is_published = False
    world.programme_b.save()
    StreamMember.objects.create(stream=world.stream_a, city=world.wichit)
    StreamMember.objects.create(stream=world.stream_b, city=world.lalitpur)
    return world


def test_an_activity_of_an_unpublished_programme_is_not_published(unpublished_programme):
    world = unpublished_programme
    assert world.activity_b.is_published
    assert world.activity_b not in Activity.objects.published()
    assert world.activity_a in Activity.objects.published()


@pytest.mark.parametrize(
    "owner", ["stream", "pairing"], ids=["through-its-stream", "through-its-pairing"]
)
def test_an_activity_without_programme_is_hidden_by_what_it_belongs_to(
    unpublished_programme, owner
):
    world = unpublished_programme
    owners = {"stream": world.stream_b, "pairing": world.pairing_b}
    activity = factories.ActivityFactory(programme=None, **{owner: owners[owner]})
    assert activity not in Activity.objects.published()
    assert activity not in Activity.objects.visible_to(world.officer)
    assert activity in Activity.objects.visible_to(world.admin)


def test_an_activity_of_an_unpublished_pairing_is_hidden(world):
    activity = factories.ActivityFactory(programme=world.programme_b, pairing=world.hidden_b)
    assert activity not in Activity.objects.published()


def test_a_pairing_in_a_stream_of_an_unpublished_programme_is_hidden(unpublished_programme):
    world = unpublished_programme
    # A stream of another programme: clean() refuses it, older rows may hold it.
    Pairing.objects.filter(pk=world.pairing_a.pk).update(stream=world.stream_b)
    assert world.pairing_a not in Pairing.objects.published()


@pytest.mark.parametrize("model", MODELS)
def test_published_is_what_anonymous_readers_see(unpublished_programme, model):
    everything = model.objects.all()
    published = set(everything.published())
    assert set(visible_to(AnonymousUser(), everything)) == published
    assert published < set(everything)


@pytest.mark.parametrize("model", MODELS)
def test_the_programmes_own_officer_sees_its_unpublished_records(
    unpublished_programme, officer_b, model
):
    world = unpublished_programme
    published = set(model.objects.published())
    for officer, programme in ((officer_b, world.programme_b), (world.officer, world.programme_a)):
        own = set(model.objects.filter(**{PROGRAMME_PATHS[model]: programme.pk}))
        assert set(model.objects.visible_to(officer)) == published | own
    assert set(model.objects.filter(**{PROGRAMME_PATHS[model]: world.programme_b.pk})) - published


PROGRAMME_PATHS = {
    Programme: "pk",
    ThematicStream: "programme",
    Pairing: "programme",
    Activity: "programme",
    PairingParticipant: "pairing__programme",
    StreamMember: "stream__programme",
}


@pytest.mark.parametrize("model", MODELS)
def test_an_admin_sees_everything_and_nothing_is_filtered(unpublished_programme, model):
    everything = model.objects.all()
    assert visible_to(unpublished_programme.admin, everything) is everything


def test_view_permissions_show_unpublished_records_whose_owners_they_show(
    unpublished_programme, django_user_model
):
    world = unpublished_programme
    reader = django_user_model.objects.create_user("auditor")
    reader.user_permissions.add(Permission.objects.get(codename="view_activity"))
    reader = django_user_model.objects.get(pk=reader.pk)
    visible = set(Activity.objects.visible_to(reader))
    assert world.hidden_activity_b not in visible  # its programme stays hidden
    reader.user_permissions.add(Permission.objects.get(codename="view_programme"))
    reader = django_user_model.objects.get(pk=reader.pk)
    assert set(Activity.objects.visible_to(reader)) == set(Activity.objects.all())


def test_officer_sees_their_programmes_drafts_only(world):
    pairings = set(Pairing.objects.visible_to(world.officer))
    assert world.hidden_a in pairings and world.hidden_b not in pairings


def test_partner_requests_of_an_unpublished_programme_are_hidden(unpublished_programme):
    world = unpublished_programme
    hidden = PartnerRequest.objects.create(
        city=world.wichit, programme=world.programme_b, theme="x"
    )
    public = PartnerRequest.objects.create(city=world.wichit, theme="y")
    assert set(PartnerRequest.objects.published()) == {public}
    assert hidden in PartnerRequest.objects.visible_to(world.admin)


def test_citations_of_hidden_records_are_hidden(unpublished_programme):
    world = unpublished_programme
    hidden = factories.CitationFactory(record=world.activity_b)
    public = factories.CitationFactory(record=world.activity_a)
    of_city = factories.CitationFactory(record=world.wichit)
    assert set(Citation.objects.published()) == {public, of_city}
    assert hidden in Citation.objects.visible_to(world.admin)


def test_helpers_ask_the_models_queryset(unpublished_programme):
    world = unpublished_programme
    ids = [world.activity_a.pk, world.activity_b.pk]
    assert visible_pks(AnonymousUser(), Activity, ids) == {world.activity_a.pk}
    assert visible_pks(AnonymousUser(), type(world.wichit), [world.wichit.pk]) == {world.wichit.pk}
    counted = Programme.objects.annotate(n=visible_count(AnonymousUser(), "pairings", Pairing)).get(
        pk=world.programme_a.pk
    )
    assert counted.n == 1  # pairing_a; hidden_a is a draft
