"""API writes follow the object rules; reads never show what a user may not see.

Officer of network A: writes to A's programme's pairings, activities and streams, 403 on
B's, 404 on B's unpublished records; partner: 403 on every write; anonymous: 401.
"""

import pytest

from activities.models import Activity
from programmes.models import Pairing


def pairing_url(pairing) -> str:
    return f"/api/v1/pairings/{pairing.pk}/"


def test_officer_gets_404_on_another_networks_unpublished_pairing(world, officer_api):
    url = pairing_url(world.hidden_b)
    assert officer_api.get(url).status_code == 404
    assert officer_api.patch(url, {"description": "x"}, format="json").status_code == 404
    assert officer_api.delete(url).status_code == 404
    assert Pairing.objects.filter(pk=world.hidden_b.pk).exists()


def test_officer_sees_and_edits_their_own_unpublished_pairing(world, officer_api):
    url = pairing_url(world.hidden_a)
    assert officer_api.get(url).status_code == 200
    ids = {p["id"] for p in officer_api.get("/api/v1/pairings/").json()["results"]}
    assert world.hidden_a.pk in ids and world.hidden_b.pk not in ids
    assert officer_api.patch(url, {"is_published": True}, format="json").status_code == 200


def test_officer_creates_only_in_their_own_programmes(world, officer_api):
    body = {"participants": [{"city": world.makati.pk}, {"city": world.iloilo.pk}]}
    refused = officer_api.post(
        "/api/v1/pairings/", {**body, "programme": world.programme_b.pk}, format="json"
    )
    assert refused.status_code == 403, refused.content
    assert "programmes your network runs" in refused.json()["detail"]
    created = officer_api.post(
        "/api/v1/pairings/", {**body, "programme": world.programme_a.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    activity = {"title": "Peer exchange", "start_date": "2026-03-01"}
    assert (
        officer_api.post(
            "/api/v1/activities/", {**activity, "programme": world.programme_b.pk}, format="json"
        ).status_code
        == 403
    )
    assert not Activity.objects.filter(title="Peer exchange").exists()


def test_officer_cannot_move_a_pairing_into_another_networks_programme(world, officer_api):
    response = officer_api.patch(
        pairing_url(world.pairing_a), {"programme": world.programme_b.pk}, format="json"
    )
    assert response.status_code == 403
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.programme == world.programme_a


def test_admin_writes_anywhere(world, admin_api):
    response = admin_api.patch(pairing_url(world.hidden_b), {"description": "ok"}, format="json")
    assert response.status_code == 200, response.content


EXPORTS = [
    ("/api/v1/pairings/", "json"),
    ("/api/v1/pairings/?format=csv", "csv"),
    ("/api/v1/pairings/?format=geojson", "geojson"),
    ("/api/v1/activities/", "json"),
    ("/api/v1/activities/?format=csv", "csv"),
    ("/api/v1/activities/?format=ics", "ics"),
]


@pytest.mark.parametrize("who", ["anonymous", "partner"])
@pytest.mark.parametrize(("url", "fmt"), EXPORTS)
def test_unpublished_records_never_listed(world, anonymous_api, partner_api, who, url, fmt):
    client = anonymous_api if who == "anonymous" else partner_api
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    for hidden in ("Wichit – Makati draft", "Lalitpur – Iloilo City draft", "Secret workshop B"):
        assert hidden not in text, (who, url)
    published = "Wichit – Iloilo City" if "pairings" in url else "Study visit A"
    assert published in text
    for record, resource in (
        (world.hidden_a, "pairings"),
        (world.hidden_b, "pairings"),
        (world.hidden_activity_b, "activities"),
    ):
        assert client.get(f"/api/v1/{resource}/{record.pk}/").status_code == 404


def test_published_pairing_of_an_unpublished_programme_is_hidden_from_partners(
    world, partner_api, officer_api
):
    world.programme_b.is_published = False
    world.programme_b.save()
    assert partner_api.get(pairing_url(world.pairing_b)).status_code == 404
    assert partner_api.get(f"/api/v1/thematic-streams/{world.stream_b.pk}/").status_code == 404
    assert officer_api.get(pairing_url(world.pairing_b)).status_code == 404
