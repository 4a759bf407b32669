"""A contact's name, e-mail and phone never reach a reader who may not see them.

Wanphen Srisuk is a focal point of network B's pairing and the technical lead for Hat
Yai. Anonymous readers, a signed-in user of no network and network A's officer visit
every surface that names records (pages, the API's lists and records, search, exports,
GeoJSON, the calendar, history and the change feed) and must find none of her
personal data; network B's officer and an admin see it where it belongs (so the check
can fail). Erasing her blanks her data in the history everybody else reads.
"""

import pytest

from contacts.services import person_erase
from tests.contacts.conftest import EMAIL, NAME, PHONE, TITLE
from tests.trust.test_visibility_surfaces import client_for, text_of

PERSONAL = (NAME, EMAIL, PHONE, TITLE)
# The name as searched (lower case, so that the page repeating the query is no finding).
QUERY = "wanphen"
# Her job title and e-mail domain as searched: parts of her data, not the whole of it.
SEARCHES = (QUERY, "zebrafinch", "hatyai.example")


def surfaces(w) -> list[str]:
    """Every address that names records, as any reader may open it."""
    person, city, pairing, programme = w.person.pk, w.city, w.pairing.pk, w.programme.slug
    return [
        "/",
        # Site search, and the API's searches of contacts.
        *(f"/search/?q={text}" for text in SEARCHES),
        *(f"/api/v1/contacts/?q={text}" for text in SEARCHES),
        f"/api/v1/contact-roles/?q={QUERY}",
        f"/cities/{city.slug}/",
        f"/pairings/{pairing}/",
        f"/programmes/{programme}/",
        f"/programmes/{programme}/report/",
        f"/programmes/{programme}/report.csv",
        f"/networks/{w.network_b.slug}/",
        "/contacts/",
        f"/contacts/{person}/",
        f"/contacts/{person}/edit/",
        f"/contacts/?q={QUERY}",
        "/api/v1/contacts/",
        f"/api/v1/contacts/{person}/",
        "/api/v1/contacts/?format=csv",
        "/api/v1/contact-roles/",
        f"/api/v1/contact-roles/{w.role.pk}/",
        "/api/v1/cities/",
        f"/api/v1/cities/{city.pk}/",
        "/api/v1/pairings/",
        "/api/v1/pairings/?format=csv",
        "/api/v1/pairings/?format=geojson",
        "/api/v1/cities/?format=geojson",
        "/map/cities.geojson",
        "/map/pairings.geojson",
        "/api/v1/activities/?format=ics",
        *(
            f"/import/{kind}/export.{fmt}"
            for kind in ("cities", "networks", "pairings")
            for fmt in ("csv", "json", "xlsx")
        ),
        # History and the change feed (signed-in readers; anonymous ones are refused).
        f"/cities/{city.slug}/history/",
        f"/pairings/{pairing}/history/",
        f"/contacts/{person}/history/",
        f"/api/v1/contacts/{person}/history/",
        f"/api/v1/cities/{city.pk}/history/",
        "/api/v1/changes/",
        "/api/v1/changes/?model=contacts.person",
        "/api/v1/changes/?model=contacts.contactrole",
    ]


def leaks(w, user) -> list[str]:
    """Return the surfaces that show ``user`` any of the contact's personal data."""
    client = client_for(user)
    found = []
    for url in surfaces(w):
        response = client.get(url)
        if response.status_code >= 500:
            found.append(f"{url}: {response.status_code}")
            continue
        text = text_of(response)
        shown = [word for word in PERSONAL if word in text]
        if shown:
            found.append(f"{url}: shows {', '.join(shown)}")
    return found


@pytest.mark.parametrize("reader", ["anonymous", "reader", "other-officer"])
def test_no_surface_shows_a_contact_to_who_may_not_see_it(contact_world, reader):
    assert leaks(contact_world, contact_world.readers[reader]) == []


@pytest.mark.parametrize("reader", ["own-officer", "admin"])
def test_the_contact_shows_to_who_may_see_it(contact_world, reader):
    """The control: the same surfaces do show her to network B's officer and admins."""
    found = "\n".join(leaks(contact_world, contact_world.readers[reader]))
    for url in (
        f"/contacts/{contact_world.person.pk}/",
        f"/pairings/{contact_world.pairing.pk}/",
        "/api/v1/contacts/",
        "/api/v1/changes/?model=contacts.person",
        f"/contacts/{contact_world.person.pk}/history/",
        *(f"/search/?q={text}" for text in SEARCHES),
        *(f"/api/v1/contacts/?q={text}" for text in SEARCHES),
    ):
        assert f"{url}: shows" in found


def test_erasure_leaves_no_personal_data_in_history(contact_world):
    admin = contact_world.readers["admin"]
    client = client_for(admin)
    person = contact_world.person
    person.phone = "+66 74 200 111"
    person.save()
    before = client.get("/api/v1/changes/?model=contacts.person").json()["results"]
    assert len(before) == 2 and NAME in text_of(client.get("/api/v1/changes/"))
    person_erase(person=person)
    feed = client.get("/api/v1/changes/?model=contacts.person").json()["results"]
    # Created, changed, deleted: the changes stay, with nothing of hers in them.
    assert [entry["action"] for entry in feed] == ["deleted", "changed", "created"]
    text = text_of(client.get("/api/v1/changes/"))
    assert not [word for word in (*PERSONAL, "+66 74 200 111") if word in text]


def test_the_feed_shows_a_role_only_to_who_sees_the_role(contact_world):
    """Network A's officer sees the person (a role for their network) but not her role
    for network B's pairing, in the feed as in the API."""
    from contacts.models import ContactRole

    ContactRole.objects.create(person=contact_world.person, network=contact_world.network_a)
    client = client_for(contact_world.readers["other-officer"])
    feed = client.get("/api/v1/changes/?model=contacts.contactrole").json()["results"]
    shown = {int(entry["object_id"]) for entry in feed}
    assert contact_world.role.pk not in shown and len(shown) == 1
    roles = client.get("/api/v1/contact-roles/").json()["results"]
    assert [row["id"] for row in roles] == [int(entry["object_id"]) for entry in feed]


def test_site_search_lists_only_the_contacts_the_reader_may_see(contact_world):
    """Network A's officer finds network A's Wanphen in search, not network B's."""
    from contacts.models import Person

    Person.objects.create(name="Wanphen Chaiyo", organisation_network=contact_world.network_a)
    page = client_for(contact_world.readers["other-officer"]).get(f"/search/?q={QUERY}")
    group = page.context["groups"][-1]
    assert group["label"] == "Contacts" and group["count"] == 1
    assert [person.name for person in group["results"]] == ["Wanphen Chaiyo"]
    assert b"Wanphen Chaiyo" in page.content and NAME.encode() not in page.content


def test_site_search_has_no_contacts_group_for_who_may_see_none(contact_world):
    page = client_for(contact_world.readers["reader"]).get(f"/search/?q={QUERY}")
    assert "Contacts" not in [group["label"] for group in page.context["groups"]]
