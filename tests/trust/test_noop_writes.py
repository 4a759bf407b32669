"""A write that changes nothing writes nothing: no new ``modified``, ETag or history event,
through the API (PUT and PATCH) and the pages' edit forms alike."""

import pytest

from history.reading import record_events
from tests.trust.forms import admin_form_data, form_data, version_in
from tests.trust.test_page_concurrency import logged_in, pairing_post

READ_ONLY = {"id": 999, "created": "2001-01-01T00:00:00Z", "modified": "2001-01-01T00:00:00Z"}


def as_written(value, top=True):
    """Return a record as read, with each reference in the shape writes take (its id)."""
    if isinstance(value, dict):
        if not top and "id" in value:
            return value["id"]
        return {key: as_written(item, top=False) for key, item in value.items()}
    if isinstance(value, list):
        return [as_written(item, top=False) for item in value]
    return value


def state(record):
    """Return what a no-op must leave alone: the stored version and the history's length."""
    record.refresh_from_db()
    return record.modified, record_events(record).count()


def api_url(resource: str, record) -> str:
    return f"/api/v1/{resource}/{record.pk}/"


RESOURCES = [
    ("pairings", "pairing_a"),
    ("activities", "activity_a"),
    ("cities", "wichit"),
    ("thematic-streams", "stream_a"),
]


@pytest.mark.parametrize(("resource", "name"), RESOURCES)
def test_putting_back_what_was_read_writes_nothing(world, admin_api, resource, name):
    record = getattr(world, name)
    read = admin_api.get(api_url(resource, record))
    before = state(record)

    response = admin_api.put(
        api_url(resource, record),
        as_written(read.json()),
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )

    assert response.status_code == 200, response.json()
    assert response["ETag"] == read["ETag"]
    assert state(record) == before


@pytest.mark.parametrize(("resource", "name"), RESOURCES)
def test_patching_only_read_only_fields_writes_nothing(world, admin_api, resource, name):
    record = getattr(world, name)
    etag = admin_api.get(api_url(resource, record))["ETag"]
    before = state(record)

    response = admin_api.patch(api_url(resource, record), READ_ONLY, format="json")

    assert response.status_code == 200, response.json()
    assert response["ETag"] == etag
    assert state(record) == before


def test_patching_the_stored_values_writes_nothing(world, admin_api):
    pairing = world.pairing_a
    before = state(pairing)
    body = {
        "title": pairing.title,
        "status": pairing.status,
        "participants": [
            {"city": p.city_id, "role": p.role} for p in pairing.participants.order_by("id")
        ],
    }
    response = admin_api.patch(api_url("pairings", pairing), body, format="json")
    assert response.status_code == 200, response.json()
    assert state(pairing) == before


def test_a_real_change_still_writes_once(world, admin_api):
    city = world.wichit
    modified, events = state(city)
    response = admin_api.patch(api_url("cities", city), {"admin_area": "Phuket"}, format="json")
    assert response.status_code == 200
    assert state(city)[0] > modified
    assert state(city)[1] == events + 1


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/activities/{activity_a.pk}/edit/", "activity_a"),
        ("/cities/{wichit.slug}/edit/", "wichit"),
        ("/programmes/{programme_a.slug}/edit/", "programme_a"),
    ],
)
def test_saving_an_unchanged_edit_form_writes_nothing(world, url, name):
    client = logged_in(world.admin)
    url = url.format(**vars(world))
    record = getattr(world, name)
    before = state(record)

    response = client.post(url, form_data(client.get(url).context["form"]), follow=True)

    assert response.redirect_chain, response.context["form"].errors
    assert "Nothing to save" in response.text
    assert state(record) == before


def test_saving_an_unchanged_pairing_form_writes_nothing(world):
    client = logged_in(world.admin)
    url = f"/pairings/{world.pairing_a.pk}/edit/"
    pairing = world.pairing_a
    before = state(pairing)

    response = client.post(url, pairing_post(pairing, version_in(client.get(url).text)))

    assert response.status_code == 302
    assert state(pairing) == before


def test_a_changed_edit_form_writes_once(world):
    client = logged_in(world.admin)
    url = f"/cities/{world.wichit.slug}/edit/"
    modified, events = state(world.wichit)
    form = client.get(url).context["form"]
    assert client.post(url, form_data(form, admin_area="Phuket")).status_code == 302
    assert state(world.wichit)[1] == events + 1


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/programmes/pairing/{pairing_a.pk}/change/", "pairing_a"),
        ("/admin/cities/city/{wichit.pk}/change/", "wichit"),
    ],
)
def test_saving_an_unchanged_admin_form_writes_nothing(world, url, name):
    client = logged_in(world.admin)
    url = url.format(**vars(world))
    record = getattr(world, name)
    before = state(record)

    response = client.post(url, admin_form_data(client.get(url)))

    assert response.status_code == 302
    assert state(record) == before
