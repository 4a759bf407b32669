"""Pages follow the same rules as the API: buttons, edit pages, form posts and lists."""

import pytest

from core.concurrency import version_of
from programmes.models import Pairing
from tests.trust.test_page_concurrency import logged_in, pairing_post

DRAFTS = ("Wichit – Makati draft", "Lalitpur – Iloilo City draft", "Secret workshop B")


def test_edit_buttons_only_where_the_officer_may_edit(world):
    client = logged_in(world.officer)
    own = client.get(f"/pairings/{world.pairing_a.pk}/").text
    assert "Edit pairing" in own and "Add activity" in own and ">Delete<" in own
    other = client.get(f"/pairings/{world.pairing_b.pk}/").text
    assert "Edit pairing" not in other and "Add activity" not in other
    assert ">Delete<" not in other
    assert "Edit activity" in client.get(f"/activities/{world.activity_a.pk}/").text
    assert "Edit activity" not in client.get(f"/activities/{world.activity_b.pk}/").text
    assert "Edit programme" not in client.get(f"/programmes/{world.programme_a.slug}/").text


def test_denied_edits_across_programmes_on_the_pages(world):
    client = logged_in(world.officer)
    other = world.pairing_b
    assert client.get(f"/pairings/{other.pk}/edit/").status_code == 403
    posted = client.post(
        f"/pairings/{other.pk}/edit/",
        pairing_post(other, version_of(other), title="Taken over"),
    )
    assert posted.status_code == 403
    assert Pairing.objects.get(pk=other.pk).title == "Lalitpur – Makati"
    assert client.post(f"/pairings/{other.pk}/delete/").status_code == 403
    assert client.get(f"/activities/{world.activity_b.pk}/edit/").status_code == 403
    assert client.post(f"/activities/{world.activity_b.pk}/delete/").status_code == 403
    # What the officer may not even see is a 404.
    hidden = world.hidden_b
    assert client.get(f"/pairings/{hidden.pk}/").status_code == 404
    assert client.get(f"/pairings/{hidden.pk}/edit/").status_code == 404
    assert client.post(f"/pairings/{hidden.pk}/edit/", {}).status_code == 404
    assert client.get(f"/activities/{world.hidden_activity_b.pk}/").status_code == 404


def test_officer_edits_their_own_pairing_on_the_page(world):
    client = logged_in(world.officer)
    pairing = world.pairing_a
    response = client.post(
        f"/pairings/{pairing.pk}/edit/", pairing_post(pairing, version_of(pairing), title="Own")
    )
    assert response.status_code == 302
    assert Pairing.objects.get(pk=pairing.pk).title == "Own"


def test_officer_cannot_move_their_pairing_into_another_programme(world):
    client = logged_in(world.officer)
    pairing = world.pairing_a
    data = pairing_post(pairing, version_of(pairing), programme=world.programme_b.pk)
    response = client.post(f"/pairings/{pairing.pk}/edit/", data)
    assert response.status_code == 200
    assert "only in the programmes your network runs" in response.text
    assert Pairing.objects.get(pk=pairing.pk).programme == world.programme_a


PAGES = [
    "/",
    "/pairings/",
    "/activities/",
    "/programmes/",
    "/programmes/clusters/",
    "/programmes/urban-act/",
    "/cities/wichit/",
    "/cities/lalitpur/",
    "/streams/",
    "/search/?q=draft",
    "/search/?q=secret",
    "/activities/calendar/",
]


@pytest.mark.parametrize("who", ["anonymous", "partner", "officer"])
def test_lists_never_leak_unpublished_records(world, client, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    for url in PAGES:
        text = client.get(url).text
        assert "Lalitpur – Iloilo City draft" not in text, (who, url)
        assert "Secret workshop B" not in text, (who, url)
        if who != "officer":
            assert "Wichit – Makati draft" not in text, (who, url)
    if who == "officer":  # their own programme's draft
        assert "Wichit – Makati draft" in client.get("/pairings/").text


def test_unpublished_programme_hides_its_streams_and_counts(world, client):
    world.programme_b.is_published = False
    world.programme_b.save()
    client.force_login(world.partner)
    assert "Heat B" not in client.get("/streams/").text
    assert client.get(f"/streams/{world.stream_b.slug}/").status_code == 404
    assert "Clusters" not in client.get("/programmes/").text
    assert "Clusters" not in client.get(f"/networks/{world.network_b.slug}/").text
