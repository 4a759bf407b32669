"""A person's history shows the events of their roles only to who may see each role.

Network A's officer sees Wanphen (she holds a role for network A) but not her roles for
network B's pairing or for Hat Yai (outside network A's reach): neither their changes
nor their removal reach A's officer through the History page, the API history or the
admin; network B's officer sees those, and a role removed since still shows within reach.
"""

import pytest

from contacts.choices import ContactRoleKind
from contacts.models import ContactRole
from tests.trust.test_visibility_surfaces import client_for

ROLE_MODEL = "contacts.ContactRole"


@pytest.fixture
def world(contact_world):
    w = contact_world
    w.network_a_role = ContactRole.objects.create(
        person=w.person, role=ContactRoleKind.SECRETARIAT, network=w.network_a
    )
    w.role.start_date = "2026-01-01"
    w.role.save()
    return w


def role_ids_in_page(w, reader) -> set[int]:
    page = client_for(w.readers[reader]).get(f"/contacts/{w.person.pk}/history/")
    assert page.status_code == 200
    return {
        int(entry.event.pgh_obj_id)
        for entry in page.context["entries"]
        if entry.model._meta.label == ROLE_MODEL
    }


def role_ids_in_api(w, reader) -> set[int]:
    response = client_for(w.readers[reader]).get(f"/api/v1/contacts/{w.person.pk}/history/")
    assert response.status_code == 200
    return {
        int(entry["object_id"])
        for entry in response.json()["results"]
        if entry["model"] == ROLE_MODEL
    }


@pytest.mark.parametrize("read", [role_ids_in_page, role_ids_in_api])
def test_another_networks_officer_sees_only_the_roles_in_their_reach(world, read):
    assert read(world, "other-officer") == {world.network_a_role.pk}


@pytest.mark.parametrize("read", [role_ids_in_page, role_ids_in_api])
def test_the_involved_officer_and_admins_see_their_roles(world, read):
    assert read(world, "own-officer") == {world.role.pk, world.city_role.pk}
    assert read(world, "admin") == {world.role.pk, world.city_role.pk, world.network_a_role.pk}


def test_a_removed_role_still_shows_within_reach_and_nowhere_else(world):
    role_id = world.role.pk
    world.role.delete()
    assert role_id in role_ids_in_api(world, "own-officer")
    assert role_id not in role_ids_in_api(world, "other-officer")
    page = client_for(world.readers["other-officer"]).get(f"/contacts/{world.person.pk}/history/")
    assert "Hat Yai – Iloilo" not in page.content.decode()


def test_the_api_history_of_a_role_is_for_who_sees_the_role(world):
    own = client_for(world.readers["own-officer"])
    assert own.get(f"/api/v1/contact-roles/{world.role.pk}/history/").status_code == 200
    other = client_for(world.readers["other-officer"])
    assert other.get(f"/api/v1/contact-roles/{world.role.pk}/history/").status_code == 404
