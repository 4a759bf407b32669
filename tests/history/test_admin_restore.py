"""An admin restores a record to an earlier version through Django admin.

The restore is itself a change in the history (channel admin, the admin's user), moves
``modified`` on (so clients holding an older version stay stale), and needs the change
permission.
"""

from core.concurrency import version_of
from history.reading import record_events
from programmes.models import Pairing


def test_admin_restores_an_earlier_version(world, client, officer_api):
    pairing = world.pairing_a
    officer_api.patch(
        f"/api/v1/pairings/{pairing.pk}/",
        {"title": "Renamed by mistake", "description": "Wrong"},
        format="json",
    )
    before_restore = version_of(Pairing.objects.get(pk=pairing.pk))
    client.force_login(world.admin)
    history = client.get(f"/admin/programmes/pairing/{pairing.pk}/history/")
    assert history.status_code == 200
    assert "Restore this version" in history.text
    assert "Renamed by mistake" in history.text and "officer-a" in history.text
    created = record_events(pairing).filter(pgh_obj_model="programmes.Pairing", pgh_label="insert")[
        0
    ]

    response = client.post(
        f"/admin/programmes/pairing/{pairing.pk}/history/restore/", {"event": created.pgh_id}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/programmes/pairing/{pairing.pk}/change/"
    pairing.refresh_from_db()
    assert (pairing.title, pairing.description) == ("Wichit – Iloilo City", "")
    assert version_of(pairing) != before_restore  # a new version, not the old one again
    restore = record_events(pairing).filter(pgh_obj_model="programmes.Pairing", pgh_label="update")[
        0
    ]
    assert restore.pgh_diff["title"] == ["Renamed by mistake", "Wichit – Iloilo City"]
    assert restore.pgh_context["channel"] == "admin"
    assert restore.pgh_context["user"] == world.admin.pk


def test_restore_needs_the_change_permission_and_a_post(world, client):
    pairing = world.pairing_a
    event = record_events(pairing).filter(pgh_obj_model="programmes.Pairing")[0]
    url = f"/admin/programmes/pairing/{pairing.pk}/history/restore/"
    world.officer.is_staff = True  # may enter the admin, holds no model permission there
    world.officer.save()
    client.force_login(world.officer)
    assert client.post(url, {"event": event.pgh_id}).status_code == 403
    client.force_login(world.admin)
    assert client.get(url).status_code == 405
    assert client.post(url, {"event": "nonsense"}).status_code == 404


def test_restore_of_another_records_event_is_404(world, client):
    other_event = record_events(world.pairing_b).filter(pgh_obj_model="programmes.Pairing")[0]
    client.force_login(world.admin)
    response = client.post(
        f"/admin/programmes/pairing/{world.pairing_a.pk}/history/restore/",
        {"event": other_event.pgh_id},
    )
    assert response.status_code == 404
