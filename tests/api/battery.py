"""One battery of API tests that every resource inherits (as NetBox's ``APIViewTestCases``).

A resource's test class names its address and model and says how to make its records
and what to send; it inherits list, detail, create, update (PUT and PATCH) and delete,
who may write (anonymous readers are read-only, a signed-in user without the permission
and another network's officer are refused), who may see (an unpublished record is hidden)
and the ETag (``W/"<modified>"``, 304 on ``If-None-Match``, 412 on a stale ``If-Match``)::

    class TestCityAPI(APIResourceBattery):
        resource = "cities"
        model = City

        def make(self, world):
            return factories.CityFactory()

        def create_data(self, world):
            return {"name": "Da Nang", "slug": "da-nang", "country": "VN"}

        def update_data(self, world):
            return {"population": 1_200_000}

The world is tests/trust's (network A runs programme A, network B programme B, each with
a published and an unpublished pairing; an officer of A, a partner of A who may not
write, an administrator) plus an officer of B and an editor with the model's
add/change/delete permissions.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from rest_framework.test import APIClient

from core.visibility import visible_to
from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests.helpers import token_client
from tests.trust.conftest import build_world

WRITES = ("post", "put", "patch", "delete")


def officer_of(network, username: str, django_user_model):
    user = django_user_model.objects.create_user(username, password="a-long-pass-99")
    NetworkStaff.objects.create(user=user, network=network, role=StaffRole.OFFICER)
    return user


@pytest.mark.usefixtures("no_throttling")
class APIResourceBattery:
    """The tests every API resource passes; subclasses declare the resource (see above)."""

    resource: str  # the address under /api/v1/: "thematic-streams"
    model: type
    # Programme-scoped (pairings, streams, activities): the officers of the networks that
    # run a programme write its records, and nobody else's.
    programme_scoped = False

    def make(self, world):
        """Return a new published record (in programme A, for a programme-scoped one)."""
        raise NotImplementedError

    def make_hidden(self, world):
        """Return a record of programme A that anonymous readers may not see, or None if
        every record of the model is public."""
        return None

    def create_data(self, world) -> dict:
        """Return the body of a POST that creates a record (in programme A, if scoped)."""
        raise NotImplementedError

    def update_data(self, world) -> dict:
        """Return the body of a PATCH that changes the record ``make`` made."""
        raise NotImplementedError

    def assert_created(self, body: dict, record, world) -> None:
        """Check what a create wrote beyond the fields sent back as they were sent."""

    # --- fixtures -----------------------------------------------------------------------

    @pytest.fixture
    def world(self, db, django_user_model):
        w = build_world(django_user_model)  # tests/trust: networks A and B, their programmes
        w.officer_a = w.officer
        w.officer_b = officer_of(w.network_b, "officer-b", django_user_model)
        w.editor = django_user_model.objects.create_user("editor", password="a-long-pass-99")
        opts = self.model._meta
        w.editor.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label=opts.app_label,
                codename__in=[f"{a}_{opts.model_name}" for a in ("add", "change", "delete")],
            )
        )
        return w

    @pytest.fixture
    def record(self, world):
        return self.make(world)

    # --- helpers ------------------------------------------------------------------------

    def list_url(self) -> str:
        return f"/api/v1/{self.resource}/"

    def detail_url(self, record) -> str:
        return f"/api/v1/{self.resource}/{record.pk}/"

    def write(self, client, method: str, record, world):
        """Send one write of ``method``: a create, a full or partial update, a delete."""
        if method == "post":
            return client.post(self.list_url(), self.create_data(world), format="json")
        if method == "delete":
            return client.delete(self.detail_url(record))
        if method == "put":
            body = {**self.create_data(world), **self.update_data(world)}
            return client.put(self.detail_url(record), body, format="json")
        return client.patch(self.detail_url(record), self.update_data(world), format="json")

    def assert_nothing_written(self, record, count: int) -> None:
        before = record.modified
        assert self.model.objects.count() == count
        record.refresh_from_db()
        assert record.modified == before

    # --- list and detail ----------------------------------------------------------------

    def test_list_shows_what_anonymous_readers_may_see(self, world, record):
        response = APIClient().get(self.list_url())
        assert response.status_code == 200, response.content
        body = response.json()
        visible = visible_to(AnonymousUser(), self.model.objects.all())
        assert body["count"] == len(body["results"]) == visible.count() > 0
        assert record.pk in {item["id"] for item in body["results"]}
        for key in ("id", "url", "created", "modified"):
            assert key in body["results"][0]

    def test_detail_is_the_list_item(self, world, record):
        client = APIClient()
        listed = {item["id"]: item for item in client.get(self.list_url()).json()["results"]}
        detail = client.get(self.detail_url(record))
        assert detail.status_code == 200
        assert detail.json() == listed[record.pk]
        assert detail.json()["url"].endswith(self.detail_url(record))

    def test_unknown_record_is_a_json_404(self, world):
        response = APIClient().get(f"{self.list_url()}999999/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}

    # --- create, update, delete ---------------------------------------------------------

    def test_create(self, world):
        data = self.create_data(world)
        response = token_client(world.editor).post(self.list_url(), data, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        record = self.model.objects.get(pk=body["id"])
        for key, value in data.items():
            if isinstance(value, str) and key in body:
                assert body[key] == value, key
        assert body["url"].endswith(self.detail_url(record))
        self.assert_created(body, record, world)

    def assert_stored(self, record, data: dict) -> None:
        record.refresh_from_db()
        for key, value in data.items():
            if not isinstance(value, (list, dict)):
                assert getattr(record, key) == value, key

    def test_partial_update(self, world, record):
        editor = token_client(world.editor)
        before = editor.get(self.detail_url(record)).json()
        data = self.update_data(world)
        response = editor.patch(self.detail_url(record), data, format="json")
        assert response.status_code == 200, response.content
        after = response.json()
        for key, value in data.items():
            if not isinstance(value, (list, dict)):
                assert after[key] == value, key
        # What the PATCH did not name stays as it was.
        untouched = set(before) - set(data) - {"modified"}
        assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
        self.assert_stored(record, data)

    def test_full_update(self, world, record):
        response = self.write(token_client(world.editor), "put", record, world)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["id"] == record.pk
        for key, value in {**self.create_data(world), **self.update_data(world)}.items():
            if isinstance(value, str) and key in body:
                assert body[key] == value, key

    def test_delete(self, world, record):
        response = token_client(world.editor).delete(self.detail_url(record))
        assert response.status_code == 204, response.content
        assert not self.model.objects.filter(pk=record.pk).exists()
        assert APIClient().get(self.detail_url(record)).status_code == 404

    # --- who may write ------------------------------------------------------------------

    @pytest.mark.parametrize("method", WRITES)
    def test_anonymous_readers_are_read_only(self, world, record, method):
        count = self.model.objects.count()
        response = self.write(APIClient(), method, record, world)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        self.assert_nothing_written(record, count)

    @pytest.mark.parametrize("method", WRITES)
    def test_signed_in_without_permission_is_refused(self, world, record, method):
        count = self.model.objects.count()
        partner = token_client(world.partner)
        assert partner.get(self.detail_url(record)).status_code == 200  # reads, though
        response = self.write(partner, method, record, world)
        assert response.status_code == 403
        assert response.json()["detail"]
        self.assert_nothing_written(record, count)

    @pytest.mark.parametrize("method", WRITES)
    def test_another_networks_officer_is_refused(self, world, record, method):
        count = self.model.objects.count()
        response = self.write(token_client(world.officer_b), method, record, world)
        assert response.status_code == 403
        self.assert_nothing_written(record, count)

    def test_own_networks_officer_writes_only_if_programme_scoped(self, world, record):
        response = self.write(token_client(world.officer_a), "patch", record, world)
        if not self.programme_scoped:
            assert response.status_code == 403  # programmes, cities…: the model's permission
            return
        assert response.status_code == 200, response.content
        self.assert_stored(record, self.update_data(world))

    # --- who may see --------------------------------------------------------------------

    def test_an_unpublished_record_is_hidden_from_who_may_not_see_it(self, world):
        hidden = self.make_hidden(world)
        if hidden is None:
            # A public model (cities, networks, sources…): its queryset restricts nothing.
            everything = self.model.objects.all()
            assert visible_to(AnonymousUser(), everything) is everything
            return
        url = self.detail_url(hidden)
        for reader in (APIClient(), token_client(world.partner), token_client(world.officer_b)):
            assert reader.get(url).status_code == 404
            listed = reader.get(self.list_url()).json()["results"]
            assert hidden.pk not in {item["id"] for item in listed}
        for reader in (world.admin, world.officer_a):
            assert token_client(reader).get(url).status_code == 200, reader

    # --- ETag ---------------------------------------------------------------------------

    def test_detail_etag_is_weak_from_modified_and_answers_304(self, world, record):
        client = APIClient()
        url = self.detail_url(record)
        response = client.get(url)
        record.refresh_from_db()
        etag = response["ETag"]
        assert etag == f'W/"{record.modified.isoformat()}"'
        unchanged = client.get(url, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304
        assert unchanged.content == b"" and unchanged["ETag"] == etag
        # Compared weakly: the tag without its W/ names the same version.
        assert client.get(url, headers={"If-None-Match": etag[2:]}).status_code == 304
        written = token_client(world.editor).patch(url, self.update_data(world), format="json")
        assert written["ETag"] != etag  # a write answers with the new version's ETag
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed["ETag"] == written["ETag"]

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_stale_if_match_is_412_and_nothing_written(self, world, record, method):
        editor = token_client(world.editor)
        url = self.detail_url(record)
        stale = editor.get(url)["ETag"]
        assert editor.patch(url, self.update_data(world), format="json").status_code == 200
        record.refresh_from_db()
        count = self.model.objects.count()
        body = {**self.create_data(world), **self.update_data(world)}
        send = {"put": editor.put, "patch": editor.patch}.get(method)
        if send is None:
            response = editor.delete(url, headers={"If-Match": stale})
        else:
            response = send(url, body, format="json", headers={"If-Match": stale})
        assert response.status_code == 412, response.content
        answer = response.json()
        assert "changed since you read it" in answer["detail"]
        assert answer["etag"] == f'W/"{record.modified.isoformat()}"'
        assert answer["changes"], "a stale If-Match lists what changed since"
        self.assert_nothing_written(record, count)
        current = editor.get(url)["ETag"]
        retried = editor.patch(
            url, self.update_data(world), format="json", headers={"If-Match": current}
        )
        assert retried.status_code == 200
