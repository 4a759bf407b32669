"""Contacts: the rules of a role, who sees a person, erasure, pages and API."""

import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from contacts.models import ContactRole, Person
from contacts.services import person_erase
from core.history import event_models_of
from tests import factories
from tests.contacts.conftest import EMAIL, NAME, PHONE, TITLE


def client_for(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def test_a_role_is_for_exactly_one_record(contact_world):
    role = ContactRole(person=contact_world.person, city=contact_world.city)
    role.network = contact_world.network_a
    with pytest.raises(ValidationError, match="one record"):
        role.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        role.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactRole.objects.create(person=contact_world.person)


def test_a_role_ends_after_it_starts(contact_world):
    import datetime

    role = ContactRole(
        person=contact_world.person,
        city=contact_world.city,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError, match="end date"):
        role.full_clean()
    role.end_date = datetime.date(1850, 1, 1)
    with pytest.raises(ValidationError):
        role.full_clean()


def test_a_person_works_for_a_city_or_a_network_not_both(contact_world):
    person = contact_world.person
    person.organisation_city = contact_world.city
    person.organisation_network = contact_world.network_a
    with pytest.raises(ValidationError, match="not both"):
        person.full_clean()


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("anonymous", False),
        ("reader", False),
        ("other-officer", False),
        ("own-officer", True),
        ("admin", True),
    ],
)
def test_a_person_is_visible_to_the_networks_involved_only(contact_world, reader, sees):
    user = contact_world.readers[reader]
    assert Person.objects.visible_to(user).filter(pk=contact_world.person.pk).exists() is sees
    assert ContactRole.objects.visible_to(user).filter(pk=contact_world.role.pk).exists() is sees


def test_an_officer_sees_the_people_of_their_network_and_its_member_cities(contact_world):
    officer = contact_world.readers["other-officer"]
    colleague = Person.objects.create(
        name="Ana Reyes", organisation_network=contact_world.network_a
    )
    factories.MembershipFactory(network=contact_world.network_a, city=contact_world.partner)
    mayor_office = Person.objects.create(name="Luz Tan", organisation_city=contact_world.partner)
    visible = set(Person.objects.visible_to(officer).values_list("name", flat=True))
    assert visible == {colleague.name, mayor_office.name}


def test_erasure_deletes_the_person_and_blanks_them_in_history(contact_world):
    person = contact_world.person
    Person.objects.filter(pk=person.pk).update(phone="+66 1")  # a change (update event)
    LogEntry.objects.create(
        user=contact_world.readers["admin"],
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed {NAME}",
    )
    erasure = person_erase(person=person)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not ContactRole.objects.filter(person_id=person.pk).exists()
    assert erasure.roles == 2
    (event_model,) = event_models_of(Person)
    events = event_model.objects.filter(pgh_obj_id=person.pk).order_by("pgh_id")
    # The changes stay (created, changed, deleted), their personal values do not.
    assert [event.pgh_label for event in events] == ["insert", "update", "delete"]
    values = [(e.name, e.title, e.email, e.phone, e.languages) for e in events]
    assert values == [
        ("erased", "erased", "erased", "erased", "erased"),
        ("erased", "erased", "erased", "erased (2)", "erased"),
        ("erased", "erased", "erased", "erased (2)", "erased"),
    ]
    role_events = event_models_of(ContactRole)[0].objects.filter(person_id=person.pk)
    assert role_events.count() == 4  # two roles created, then deleted with the person
    entry = LogEntry.objects.get(object_id=str(person.pk))
    assert NAME not in entry.object_repr + entry.change_message


def test_the_erase_command_erases_and_says_so(contact_world):
    out = io.StringIO()
    call_command("erase_person", str(contact_world.person.pk), stdout=out)
    assert "erased" in out.getvalue()
    assert not Person.objects.exists()


def test_the_erase_command_refuses_an_unknown_number(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No person has the number 999"):
        call_command("erase_person", "999")


def test_the_admin_erase_action_redacts_history(contact_world):
    client = client_for(contact_world.readers["admin"])
    response = client.post(
        "/admin/contacts/person/",
        {"action": "erase_people", "_selected_action": [contact_world.person.pk]},
    )
    assert response.status_code == 302
    assert not Person.objects.exists()
    (event_model,) = event_models_of(Person)
    assert not event_model.objects.filter(name=NAME).exists()


def test_the_own_officer_reads_and_edits_the_person(contact_world):
    client = client_for(contact_world.readers["own-officer"])
    page = client.get(f"/contacts/{contact_world.person.pk}/").content.decode()
    assert NAME in page and EMAIL in page and PHONE in page and TITLE in page
    response = client.post(
        f"/contacts/{contact_world.person.pk}/edit/",
        {"name": NAME, "title": "Focal point", "email": EMAIL, "phone": "", "languages": ""},
    )
    assert response.status_code == 302, response.content.decode()
    contact_world.person.refresh_from_db()
    assert contact_world.person.title == "Focal point"


def test_the_pairing_page_shows_contacts_to_the_own_officer_only(contact_world):
    url = f"/pairings/{contact_world.pairing.pk}/"
    assert NAME in client_for(contact_world.readers["own-officer"]).get(url).content.decode()
    for reader in ("anonymous", "other-officer", "reader"):
        assert NAME not in client_for(contact_world.readers[reader]).get(url).content.decode()


def test_an_officer_adds_a_role_only_within_their_reach(contact_world):
    client = client_for(contact_world.readers["other-officer"])
    response = client.post(
        "/contacts/roles/new/",
        {"person": contact_world.person.pk, "role": "focal_point", "city": "iloilo"},
    )
    # The person is out of their reach: not even a choice.
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert ContactRole.objects.count() == 2


def test_an_officer_may_not_create_a_person_outside_their_reach(contact_world):
    client = client_for(contact_world.readers["other-officer"])
    response = client.post("/contacts/new/", {"name": "Somebody", "organisation_city": "hat-yai"})
    assert response.status_code == 200
    assert not Person.objects.filter(name="Somebody").exists()
    response = client.post(
        "/contacts/new/",
        {"name": "Somebody", "organisation_network": contact_world.network_a.pk},
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="Somebody").exists()


def test_the_api_lists_contacts_to_who_may_see_them(contact_world):
    own = client_for(contact_world.readers["own-officer"]).get("/api/v1/contacts/").json()
    assert [row["email"] for row in own["results"]] == [EMAIL]
    other = client_for(contact_world.readers["other-officer"]).get("/api/v1/contacts/").json()
    assert other["results"] == []
    detail = f"/api/v1/contacts/{contact_world.person.pk}/"
    assert client_for(contact_world.readers["anonymous"]).get(detail).status_code == 404
    roles = client_for(contact_world.readers["own-officer"]).get("/api/v1/contact-roles/").json()
    assert len(roles["results"]) == 2


def test_the_api_writes_with_the_same_object_permissions(contact_world):
    detail = f"/api/v1/contacts/{contact_world.person.pk}/"
    response = client_for(contact_world.readers["own-officer"]).patch(
        detail, {"phone": "+66 1"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    response = client_for(contact_world.readers["other-officer"]).patch(
        detail, {"phone": "+66 2"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client_for(contact_world.readers["other-officer"]).post(
        "/api/v1/contacts/",
        {"name": "X", "organisation_network": contact_world.network_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_deleting_a_person_through_the_api_erases_them(contact_world):
    client = client_for(contact_world.readers["own-officer"])
    response = client.delete(f"/api/v1/contacts/{contact_world.person.pk}/")
    assert response.status_code == 204
    (event_model,) = event_models_of(Person)
    assert event_model.objects.filter(pgh_obj_id=contact_world.person.pk).count() == 2
    assert not event_model.objects.filter(name=NAME).exists()


def test_a_hidden_record_is_not_filled_into_the_role_form(contact_world):
    contact_world.programme.is_published = False
    contact_world.programme.save()
    client = client_for(contact_world.readers["other-officer"])
    response = client.get(f"/contacts/roles/new/?programme={contact_world.programme.pk}")
    assert response.status_code == 200
    assert "Urban-Act" not in response.content.decode()
    assert client.get("/contacts/roles/new/?person=%C2%B2").status_code == 200
