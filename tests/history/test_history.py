"""History: each channel is recorded (pages, API, admin, bulk, commands), and shown.

Each record's History page and the API's history say who changed what, when and through
which channel, as a readable diff; the change feed lists every change a user may read.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from pghistory.models import Events
from rest_framework.test import APIClient

from core.concurrency import version_of
from history.reading import record_events
from partners.models import PartnerRequest
from programmes.choices import PairingStatus
from programmes.models import Pairing
from tests.trust.conftest import build_world, token_client
from tests.trust.test_page_concurrency import PILOT, logged_in, pairing_post
from themes.models import Theme


def latest_update(record):
    return record_events(record).filter(pgh_obj_model=record._meta.label, pgh_label="update")[0]


def test_page_edit_is_recorded_with_user_and_channel_web(world):
    pairing = world.pairing_a
    data = pairing_post(pairing, version_of(pairing), title="Wichit – Iloilo MoU")
    assert logged_in(world.officer).post(f"/pairings/{pairing.pk}/edit/", data).status_code == 302
    event = latest_update(pairing)
    assert event.pgh_diff["title"] == ["Wichit – Iloilo City", "Wichit – Iloilo MoU"]
    assert event.pgh_context["channel"] == "web"
    assert event.pgh_context["user"] == world.officer.pk


def test_api_edit_is_recorded_with_the_tokens_user_and_channel_api(world, officer_api):
    response = officer_api.patch(
        f"/api/v1/pairings/{world.pairing_a.pk}/", {"description": "Via API"}, format="json"
    )
    assert response.status_code == 200
    event = latest_update(world.pairing_a)
    assert event.pgh_diff["description"] == ["", "Via API"]
    assert event.pgh_context["channel"] == "api"
    assert event.pgh_context["user"] == world.officer.pk


def test_admin_edit_is_recorded_with_channel_admin(world, client):
    client.force_login(world.admin)
    source = world.wichit  # any record the admin edits: see also tests/test_history.py
    response = client.post(
        f"/admin/cities/city/{source.pk}/change/",
        {
            "name": "Wichit",
            "slug": "wichit",
            "kind": source.kind,
            "country": "TH",
            "admin_area": "Phuket",
            "description": "",
            "population": "",
            "latitude": "",
            "longitude": "",
            "geonames_id": "",
            "alternative_names-TOTAL_FORMS": "0",
            "alternative_names-INITIAL_FORMS": "0",
            "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
            "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = latest_update(world.wichit)
    assert event.pgh_context["channel"] == "admin"
    assert event.pgh_context["user"] == world.admin.pk


def test_bulk_update_is_recorded_for_every_row_without_a_channel(world):
    Pairing.objects.filter(programme=world.programme_a).update(is_verified=False)
    events = Events.objects.filter(pgh_obj_model="programmes.Pairing", pgh_label="update")
    assert {int(e.pgh_obj_id) for e in events} == {world.pairing_a.pk, world.hidden_a.pk}
    assert all(e.pgh_diff["is_verified"] == [True, False] for e in events)
    assert all(not (e.pgh_context or {}).get("channel") for e in events)


def test_import_command_is_recorded_with_channel_command(db):
    call_command("load_seed", verbosity=0)
    event = Events.objects.filter(pgh_obj_model="programmes.Pairing").first()
    assert event is not None
    assert event.pgh_context["channel"] == "command"
    assert event.pgh_context["command"] == "load_seed"


def test_history_page_shows_who_what_when_and_the_diff(world):
    pairing = world.pairing_a
    client = logged_in(world.officer)
    data = pairing_post(
        pairing,
        version_of(pairing),
        title="Wichit – Iloilo MoU",
        status=PairingStatus.ACTIVE,
        programme=world.programme_a.pk,
    )
    # Swap Iloilo City for Lalitpur as partner.
    data["participants-1-city"] = "Lalitpur"
    assert client.post(f"/pairings/{pairing.pk}/edit/", data).status_code == 302
    Pairing.objects.filter(pk=pairing.pk).update(description="Bulk note")

    detail = client.get(f"/pairings/{pairing.pk}/")
    assert f'href="/pairings/{pairing.pk}/history/"' in detail.text
    page = client.get(f"/pairings/{pairing.pk}/history/")
    assert page.status_code == 200
    text = page.text
    assert "History of Wichit – Iloilo MoU" in text
    assert "officer-a" in text and "via web" in text
    assert "Title" in text and "Wichit – Iloilo City" in text and "Wichit – Iloilo MoU" in text
    assert "Status" in text and "Active" in text  # the choice's label, not its value
    # The participants' changes, named by city and role.
    assert "Pairing participant: Lalitpur (NP), Partner city</strong> added" in text
    assert "Pairing participant: Iloilo City (PH), Partner city</strong> removed" in text
    assert "system" in text and "via unknown" in text  # the bulk update
    assert "Bulk note" in text


def test_history_names_related_records_and_choice_labels(world, admin_api):
    admin_api.patch(
        f"/api/v1/activities/{world.activity_a.pk}/",
        {"programme": world.programme_b.pk, "status": "held"},
        format="json",
    )
    entries = admin_api.get(f"/api/v1/activities/{world.activity_a.pk}/history/").json()
    update = next(e for e in entries["results"] if e["event"] == "update")
    changes = {c["field"]: c for c in update["changes"]}
    assert changes["programme_id"]["before_display"] == "Urban-Act"
    assert changes["programme_id"]["after_display"] == "Clusters"
    assert changes["status"]["after_display"] == "Held"
    assert update["user"] == "admin" and update["channel"] == "api"


@pytest.mark.parametrize(
    "url",
    [
        "/cities/wichit/history/",
        "/networks/citynet/history/",
        "/programmes/urban-act/history/",
        "/streams/{stream_a.slug}/history/",
        "/pairings/{pairing_a.pk}/history/",
        "/activities/{activity_a.pk}/history/",
    ],
)
def test_every_record_has_a_history_page_for_signed_in_users(world, client, url):
    url = url.format(**vars(world))
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(world.partner)
    response = client.get(url)
    assert response.status_code == 200
    assert "created" in response.text
    detail = client.get(url.removesuffix("history/"))
    assert f'href="{url}"' in detail.text


def test_source_history_page(world, client):
    from tests.factories import SourceFactory

    SourceFactory(slug="workshop")
    client.force_login(world.partner)
    assert client.get("/sources/workshop/history/").status_code == 200
    assert 'href="/sources/workshop/history/"' in client.get("/sources/workshop/").text


def test_history_of_what_a_user_may_not_see_is_404(world, client, officer_api):
    client.force_login(world.officer)
    assert client.get(f"/pairings/{world.hidden_b.pk}/history/").status_code == 404
    assert client.get(f"/pairings/{world.hidden_a.pk}/history/").status_code == 200
    assert officer_api.get(f"/api/v1/pairings/{world.hidden_b.pk}/history/").status_code == 404


def test_api_history_of_a_record(world, officer_api, anonymous_api):
    officer_api.patch(
        f"/api/v1/pairings/{world.pairing_a.pk}/",
        {"participants": [{"city": world.wichit.pk, "role": PILOT}, {"city": world.lalitpur.pk}]},
        format="json",
    )
    url = f"/api/v1/pairings/{world.pairing_a.pk}/history/"
    assert anonymous_api.get(url).status_code == 401
    body = officer_api.get(url).json()
    assert body["count"] >= 4
    newest = body["results"][0]
    assert newest["channel"] == "api" and newest["user"] == "officer-a"
    subjects = {(e["subject"], e["action"]) for e in body["results"]}
    assert ("Pairing participant: Lalitpur (NP), Partner city", "added") in subjects
    assert ("Pairing participant: Iloilo City (PH), Partner city", "removed") in subjects
    assert ("Pairing", "created") in subjects


@pytest.mark.django_db(transaction=True)
def test_change_feed_lists_changes_newest_first_with_filters(django_user_model):
    # Each request its own transaction, as in production (triggers stamp events with the
    # transaction's start time).
    world = build_world(django_user_model)
    admin_api, anonymous_api = token_client(world.admin), APIClient()
    since = timezone.now()
    admin_api.patch(
        f"/api/v1/pairings/{world.pairing_b.pk}/", {"description": "Feed"}, format="json"
    )
    admin_api.patch(f"/api/v1/cities/{world.wichit.pk}/", {"population": 5}, format="json")
    assert anonymous_api.get("/api/v1/changes/").status_code == 401
    body = admin_api.get("/api/v1/changes/", {"since": since.isoformat()}).json()
    assert [e["model"] for e in body["results"]] == ["cities.City", "programmes.Pairing"]
    assert body["results"][1]["changes"][0]["after"] == "Feed"
    only = admin_api.get(
        "/api/v1/changes/", {"since": since.isoformat(), "model": "programmes.pairing"}
    ).json()
    assert [e["object_id"] for e in only["results"]] == [str(world.pairing_b.pk)]
    earlier = (since - datetime.timedelta(days=1)).isoformat()
    assert admin_api.get("/api/v1/changes/", {"since": earlier}).json()["count"] > 2
    bad = admin_api.get("/api/v1/changes/", {"model": "auth.nothing"})
    assert bad.status_code == 400 and "model" in bad.json()["errors"]
    assert admin_api.get("/api/v1/changes/", {"since": "yesterday"}).status_code == 400


def test_change_feed_names_a_moved_model_by_its_old_label_too(world, admin_api):
    # PartnerRequest moved from programmes to partners; its table and events stayed.
    request = PartnerRequest.objects.create(city=world.wichit, theme="flood retention")
    for label in ("partners.partnerrequest", "programmes.partnerrequest"):
        body = admin_api.get("/api/v1/changes/", {"model": label}).json()
        assert [(e["model"], e["object_id"]) for e in body["results"]] == [
            ("partners.PartnerRequest", str(request.pk))
        ]


def test_change_feed_hides_what_the_user_may_not_read(world, partner_api, officer_api):
    def ids(client, model):
        body = client.get("/api/v1/changes/", {"model": model, "page_size": 500}).json()
        return {e["object_id"] for e in body["results"]}

    hidden = {str(world.hidden_a.pk), str(world.hidden_b.pk)}
    assert not ids(partner_api, "programmes.pairing") & hidden
    assert ids(officer_api, "programmes.pairing") & hidden == {str(world.hidden_a.pk)}
    participants = partner_api.get(
        "/api/v1/changes/", {"model": "programmes.pairingparticipant", "page_size": 500}
    ).json()["results"]
    seen = {(e["subject"]) for e in participants}
    assert seen  # the published pairings' participants are listed…
    assert ids(partner_api, "programmes.networkstaff") == set()  # …staff records are not
    hidden_parts = {str(p.pk) for p in world.hidden_b.participants.all()}
    assert not {e["object_id"] for e in participants} & hidden_parts


def test_change_feed_carries_the_link_tables_changes_to_who_may_read_the_record(
    world, partner_api, admin_api
):
    """An activity's cities and a pairing's themes are many-to-many links: their changes
    are in the feed (a partner syncing from it learns of them), by the record's rule."""
    theme = Theme.objects.create(slug="night-markets", name="Night markets")
    world.activity_a.cities.add(world.makati)
    world.hidden_activity_b.cities.add(world.makati)
    world.pairing_a.themes.add(theme)
    world.hidden_b.themes.add(theme)

    def parts(client, **query):
        body = client.get("/api/v1/changes/", {"page_size": 500, **query}).json()
        return {
            (e["model"], e["action"], change["after_display"])
            for e in body["results"]
            for change in e["changes"]
            if "_" in e["model"]
        }

    seen = parts(partner_api)
    assert ("activities.Activity_cities", "added", "Makati (PH)") in seen
    assert ("programmes.Pairing_themes", "added", "Night markets") in seen
    # Named as the record's history names them: parts, with the record they belong to.
    linked = [
        entry
        for entry in partner_api.get("/api/v1/changes/", {"page_size": 500}).json()["results"]
        if entry["model"] == "activities.Activity_cities"
    ]
    assert linked and all(entry["is_part"] for entry in linked)
    assert {entry["subject"] for entry in linked} == {"City: Makati (PH)"}
    assert all("activity_id" in {c["field"] for c in entry["changes"]} for entry in linked)
    everything = parts(admin_api, model="activities.activity_cities")
    assert {model for model, _, _ in everything} == {"activities.Activity_cities"}

    def count(client, model):
        return client.get("/api/v1/changes/", {"model": model}).json()["count"]

    # The hidden records' links: the admin sees both records' links, the partner one.
    assert (
        count(admin_api, "programmes.pairing_themes"),
        count(partner_api, "programmes.pairing_themes"),
    ) == (2, 1)
    assert count(partner_api, "activities.activity_cities") == 1
    world.activity_a.cities.remove(world.makati)
    assert ("activities.Activity_cities", "removed", "—") in parts(partner_api)
    assert count(partner_api, "activities.activity_cities") == 2
