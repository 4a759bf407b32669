"""What the pages keep per process: the filter panel's options and the dashboard's SQL."""

import re

import pytest

from citypairing import views
from core import counting
from core.views.widgets import QuickSelectMultiple
from tests import factories

pytestmark = pytest.mark.django_db


def programme_options(html: str, name: str = "programme") -> list[str]:
    """Return the values of the filter panel's options for filter ``name``."""
    select = re.search(rf'<select multiple[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_new_programme_is_offered_right_after_it_is_created(client, registry):
    before = programme_options(client.get("/pairings/").text)
    assert "urban-act" in before and "aardvark" not in before
    factories.ProgrammeFactory(name="Aardvark cities", slug="aardvark")
    assert programme_options(client.get("/pairings/").text) == ["aardvark", *before]


def test_unpublished_programme_is_never_offered_to_anonymous_readers(client, registry):
    hidden = factories.ProgrammeFactory(name="Draft", slug="draft", is_published=False)
    assert "draft" not in programme_options(client.get("/pairings/").text)
    hidden.is_published = True
    hidden.save()
    assert "draft" in programme_options(client.get("/pairings/").text)
    hidden.is_published = False
    hidden.save()  # unpublished again, after anonymous readers' list was kept with it
    assert "draft" not in programme_options(client.get("/pairings/").text)


def test_deleted_programme_leaves_the_options(client, registry):
    gone = factories.ProgrammeFactory(name="Gone", slug="gone")
    assert "gone" in programme_options(client.get("/pairings/").text)
    gone.delete()
    assert "gone" not in programme_options(client.get("/pairings/").text)


def test_signed_in_readers_get_their_own_options(client, registry, django_user_model):
    factories.ProgrammeFactory(name="Draft", slug="draft", is_published=False)
    assert "draft" not in programme_options(client.get("/pairings/").text)  # kept for anonymous
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    assert "draft" in programme_options(client.get("/pairings/").text)
    client.logout()
    assert "draft" not in programme_options(client.get("/pairings/").text)


# Committed data: a transaction that has written keeps no list (it may yet roll back).
@pytest.mark.django_db(transaction=True)
def test_pairing_list_reads_no_programme_list_once_kept(
    client, registry, django_assert_num_queries
):
    client.get("/pairings/")
    # The lists' version, the count, the page's rows with their participants, the theme
    # filter's choices and the themes facet; not the programmes (4 before, without themes).
    with django_assert_num_queries(6):
        response = client.get("/pairings/")
    assert "urban-act" in programme_options(response.text)


def test_kept_options_mark_the_chosen_and_escape_labels():
    widget = QuickSelectMultiple(choices=[("a&b", "<A & B>"), ("c", "C")])
    for _ in range(2):  # written, then read back from the kept options
        html = widget.render("x", ["c"])
        assert html == (
            '<select multiple name="x"><option value="a&amp;b">&lt;A &amp; B&gt;</option>'
            '<option value="c" selected>C</option></select>'
        )
    assert "selected" not in widget.render("x", [])


def without_times(html: str) -> str:
    return re.sub(r"<time[^>]*>[^<]*</time>", "<time>", html)


def test_dashboard_prepared_once_shows_what_fresh_querysets_show(client, registry, monkeypatch):
    factories.PairingFactory(programme=registry.programme, is_published=False)
    prepared = without_times(client.get("/").text)
    compiled = dict(counting._compiled_selects)
    assert any(key[0] == ("dashboard", "programme_pairings") for key in compiled)
    monkeypatch.setattr(
        views, "prepared_select", lambda key, build, value=None: build(value)
    )  # every figure built and compiled for the request, as before
    assert without_times(client.get("/").text) == prepared


def test_dashboard_figures_follow_new_records_and_hide_unpublished(
    client, registry, django_user_model
):
    def programme_figure():
        text = client.get("/").text
        return re.search(r'href="/pairings/\?programme=urban-act"><strong>([\d,]+)<', text)

    before = programme_figure()
    factories.PairingFactory(programme=registry.programme)
    factories.PairingFactory(programme=registry.programme, is_published=False)
    after = programme_figure()
    assert before and after, "the dashboard links each programme's pairings with its figure"
    assert int(after.group(1)) == int(before.group(1)) + 1  # the unpublished one not counted
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    assert int(programme_figure().group(1)) == int(before.group(1)) + 2


def test_kept_checkboxes_are_django_s_own_and_follow_the_chosen_values():
    from django import forms

    from core.views.widgets import CheckboxSelectMultiple

    choices = [("active", "Active"), ("agreed", "Agreed <new>")]
    for chosen in (["agreed"], [], ["agreed"], ["active", "agreed"]):
        kept = CheckboxSelectMultiple(choices=choices).render("status", chosen, {"id": "s"})
        plain = forms.CheckboxSelectMultiple(choices=choices).render("status", chosen, {"id": "s"})
        assert kept == plain


def test_chosen_programme_s_new_stream_and_network_are_offered_at_once(client, registry):
    url = "/pairings/?programme=urban-act"
    text = client.get(url).text
    streams, networks = programme_options(text, "stream"), programme_options(text, "network")
    assert "flood-management" in streams and "heat" not in streams
    assert "citynet" in networks and "aa" not in networks
    factories.ThematicStreamFactory(programme=registry.programme, name="Heat", slug="heat")
    factories.ProgrammeNetworkFactory(
        programme=registry.programme, network=factories.NetworkFactory(name="Aa", slug="aa")
    )
    text = client.get(url).text
    assert programme_options(text, "stream") == [*streams, "heat"]
    assert programme_options(text, "network") == ["aa", *networks]


@pytest.mark.django_db(transaction=True)
def test_filtered_pairing_list_reads_no_option_list_once_kept(
    client, registry, django_assert_num_queries
):
    url = "/pairings/?programme=urban-act&status=active"
    client.get(url)
    # The lists' version, the chosen programme (the filter's check), the count, the rows,
    # their participants, the theme choices and facet; not the programmes, streams and
    # networks offered (7 before, without themes).
    with django_assert_num_queries(7):
        response = client.get(url)
    assert "flood-management" in programme_options(response.text, "stream")


@pytest.mark.django_db(transaction=True)
def test_a_list_read_by_a_transaction_that_wrote_is_never_kept(client, registry):
    """A programme written and then rolled back never stays in anyone's options."""
    from django.db import transaction

    client.get("/pairings/")  # kept, committed data
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.ProgrammeFactory(name="Aardvark cities", slug="aardvark")
        assert "aardvark" in programme_options(client.get("/pairings/").text)
        raise RuntimeError("roll back")
    assert "aardvark" not in programme_options(client.get("/pairings/").text)
