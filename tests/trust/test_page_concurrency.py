"""Two officers editing one record on the pages: the second save is refused, nothing lost.

The refused officer gets the form back with their own input, a message saying someone
else saved the record, a table of what changed meanwhile, and the new version, so a
second save is a deliberate choice. One test races two real threads through the views.
"""

import html
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from core.concurrency import version_of
from programmes.choices import ParticipantRole, StaffRole
from programmes.models import NetworkStaff, Pairing
from tests.pages import pairing_data
from tests.trust.conftest import build_world
from tests.trust.forms import form_data, version_in

PILOT, PARTNER = ParticipantRole.PILOT, ParticipantRole.PARTNER


def second_officer(world, django_user_model):
    user = django_user_model.objects.create_user("officer-a2", password="a-long-pass-99")
    NetworkStaff.objects.create(user=user, network=world.network_a, role=StaffRole.OFFICER)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pairing_post(pairing, version, **fields):
    """The pairing form as shown for ``pairing``, with ``fields`` changed."""
    rows = [
        (str(p.city), p.role) for p in pairing.participants.select_related("city").order_by("id")
    ]
    data = pairing_data(
        pairing.programme,
        rows,
        initial=len(rows),
        title=pairing.title,
        status=pairing.status,
        description=pairing.description,
        start_date=pairing.start_date.isoformat() if pairing.start_date else "",
        end_date=pairing.end_date.isoformat() if pairing.end_date else "",
        version=version,
    )
    data.update(fields)
    return data


def test_edit_form_carries_the_records_version(world):
    response = logged_in(world.officer).get(f"/pairings/{world.pairing_a.pk}/edit/")
    assert version_in(response.text) == version_of(world.pairing_a)


@pytest.mark.parametrize("version", ["9999-12-31", "2026-03-01T10:00:00", "not a version"])
def test_a_version_naming_no_moment_is_a_conflict_not_a_500(world, version):
    url = f"/pairings/{world.pairing_a.pk}/edit/"
    response = logged_in(world.officer).post(url, pairing_post(world.pairing_a, version))
    assert response.status_code == 200
    assert "Someone else saved this pairing" in html.unescape(response.text)


def test_second_save_with_the_same_version_is_refused_and_keeps_the_input(world, django_user_model):
    first, second = logged_in(world.officer), logged_in(second_officer(world, django_user_model))
    url = f"/pairings/{world.pairing_a.pk}/edit/"
    version = version_in(first.get(url).text)
    assert version_in(second.get(url).text) == version

    saved = first.post(url, pairing_post(world.pairing_a, version, title="Wichit – Iloilo MoU"))
    assert saved.status_code == 302, saved.content[:3000]
    refused = second.post(
        url,
        pairing_post(
            world.pairing_a,
            version,
            title="Wichit – Iloilo City flood exchange",
            description="Agreed at the Bangkok workshop",
        ),
    )
    assert refused.status_code == 200
    text = html.unescape(refused.text)
    assert "Someone else saved this pairing while you were editing it" in text
    assert "What changed meanwhile" in text
    conflict = text.split('id="conflict"')[1].split("</fieldset>")[0]
    assert "Title" in conflict and "Wichit – Iloilo MoU" in conflict
    # Their title is in the form, the second officer's beside it; what only they wrote stays.
    form = refused.context["form"]
    assert form["title"].value() == "Wichit – Iloilo MoU"
    assert "Wichit – Iloilo City flood exchange" in conflict
    assert form["description"].value() == "Agreed at the Bangkok workshop"
    new_version = version_in(refused.text)
    world.pairing_a.refresh_from_db()
    assert new_version == version_of(world.pairing_a) != version
    assert world.pairing_a.title == "Wichit – Iloilo MoU"  # the first save is intact

    # Saving the page again without choosing is refused, with a sentence.
    again = second.post(url, as_posted(form))
    assert again.status_code == 200
    assert "choose for each whether to keep their value or use yours" in html.unescape(again.text)
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.title == "Wichit – Iloilo MoU"

    # Choosing goes through: their title kept or, here, theirs replaced knowingly.
    chosen = second.post(url, as_posted(form, conflict_choice_title="mine"))
    assert chosen.status_code == 302
    world.pairing_a.refresh_from_db()
    assert world.pairing_a.title == "Wichit – Iloilo City flood exchange"
    assert world.pairing_a.description == "Agreed at the Bangkok workshop"


def as_posted(form, **changes) -> dict:
    """Return the data a browser sends when the refused form (as shown) is saved again."""
    data = {key: form.data.getlist(key) for key in form.data}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("kind", "url", "field", "first_value", "second_value"),
    [
        ("activity", "/activities/{activity_a.pk}/edit/", "outcomes", "Report", "Video"),
        ("city", "/cities/{wichit.slug}/edit/", "admin_area", "Phuket", "Phuket Province"),
        ("programme", "/programmes/{programme_a.slug}/edit/", "acronym", "UA", "U-Act"),
    ],
)
def test_every_edit_form_refuses_a_stale_save(world, kind, url, field, first_value, second_value):
    url = url.format(**vars(world))
    first, second = logged_in(world.admin), logged_in(world.admin)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    saved = first.post(url, form_data(form_one, **{field: first_value}))
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    refused = second.post(url, form_data(form_two, **{field: second_value}))
    assert refused.status_code == 200
    text = html.unescape(refused.text)
    assert f"Someone else saved this {kind} while you were editing it" in text
    assert first_value in text.split('id="conflict"')[1]
    assert second_value in text.split('id="conflict"')[1]  # kept beside theirs
    form = refused.context["form"]
    assert form[field].value() == first_value  # theirs is in the form
    model = form.instance.__class__

    assert second.post(url, as_posted(form)).status_code == 200  # no choice: refused
    assert getattr(model.objects.get(pk=form.instance.pk), field) == first_value
    kept = second.post(url, as_posted(form, **{f"conflict_choice_{field}": "theirs"}))
    assert kept.status_code == 302
    assert getattr(model.objects.get(pk=form.instance.pk), field) == first_value


def city_conflict(world, theirs: dict, mine: dict):
    """Two admins open Wichit's edit page; the first saves ``theirs``, then the second
    ``mine``: return the second's client, the page address and the refused answer."""
    url = f"/cities/{world.wichit.slug}/edit/"
    first, second = logged_in(world.admin), logged_in(world.admin)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    first.post(url, form_data(form_one, **theirs))
    return second, url, second.post(url, form_data(form_two, **mine))


def test_a_field_only_they_changed_takes_their_value_without_a_choice(world):
    second, url, refused = city_conflict(
        world, {"admin_area": "Phuket"}, {"description": "Island town"}
    )

    form = refused.context["form"]
    assert refused.context["conflict"]["rows"] == []
    assert (form["admin_area"].value(), form["description"].value()) == ("Phuket", "Island town")
    assert second.post(url, as_posted(form)).status_code == 302
    world.wichit.refresh_from_db()
    assert (world.wichit.admin_area, world.wichit.description) == ("Phuket", "Island town")


def test_a_save_that_leaves_out_the_choices_is_refused_all_the_same(world):
    second, url, refused = city_conflict(
        world, {"admin_area": "Phuket"}, {"admin_area": "Phang Nga"}
    )
    stripped = {
        key: value
        for key, value in as_posted(refused.context["form"], admin_area="Phang Nga").items()
        if not key.startswith("conflict_")
    }

    response = second.post(url, stripped)

    assert response.status_code == 200
    assert "choose for each whether to keep their value" in html.unescape(response.text)
    world.wichit.refresh_from_db()
    assert world.wichit.admin_area == "Phuket"


def post_in_thread(user, url, data, barrier, outcome, name):
    try:
        client = logged_in(user)
        barrier.wait(timeout=10)
        response = client.post(url, data)
        outcome[name] = (response.status_code, html.unescape(response.content.decode()))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_at_once_through_the_pages(django_user_model):
    world = build_world(django_user_model)
    other = second_officer(world, django_user_model)
    url = f"/pairings/{world.pairing_a.pk}/edit/"
    version = version_of(world.pairing_a)
    posts = {
        "one": (world.officer, pairing_post(world.pairing_a, version, title="Title by one")),
        "two": (other, pairing_post(world.pairing_a, version, title="Title by two")),
    }
    barrier, outcome = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=post_in_thread, args=(user, url, data, barrier, outcome, name))
        for name, (user, data) in posts.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert sorted(status for status, _ in outcome.values()) == [200, 302], outcome.keys()
    winner = next(name for name, (status, _) in outcome.items() if status == 302)
    loser_text = next(text for status, text in outcome.values() if status == 200)
    assert "Someone else saved this pairing" in loser_text
    assert f"Title by {winner}" in loser_text.split('id="conflict"')[1]
    assert Pairing.objects.get(pk=world.pairing_a.pk).title == f"Title by {winner}"
