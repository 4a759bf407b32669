"""What the pages keep per process: the filter panel's options and the dashboard's SQL."""

import re

import pytest

from citypairing import views
from core import counting
from core.views.widgets import QuickSelectMultiple
from programmes.choices import PairingStatus
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
    # The lists' version and the page's rows (their cities in the same query); not the
    # count, the programmes, the theme filter's choices or the themes facet, all kept.
    with django_assert_num_queries(2):
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
    # The lists' version, the chosen programme (the filter's check), the rows with their
    # cities; not the count, the programmes, streams, networks and themes offered, nor the
    # themes facet, all kept.
    with django_assert_num_queries(3):
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


def upcoming_titles(html: str) -> list[str]:
    section = html.split('id="upcoming-heading"')[1].split("</section>")[0]
    return re.findall(r'<a href="/activities/\d+/">([^<]*)</a>', section)


@pytest.mark.django_db(transaction=True)
def test_kept_dashboard_is_read_with_the_version_alone(client, registry, django_assert_num_queries):
    first = client.get("/").text
    with django_assert_num_queries(1):  # the records' version; the countries are cached
        kept = client.get("/").text
    assert without_times(kept) == without_times(first)


@pytest.mark.django_db(transaction=True)
def test_kept_dashboard_follows_activities_and_never_shows_an_unpublished_one(
    client, registry, django_user_model
):
    import datetime

    client.get("/")  # kept
    soon = datetime.date.today() + datetime.timedelta(days=3)
    activity = factories.ActivityFactory(
        title="Kept-page webinar", programme=registry.programme, start_date=soon
    )
    assert "Kept-page webinar" in upcoming_titles(client.get("/").text)
    activity.is_published = False
    activity.save()  # unpublished after anonymous readers' dashboard was kept with it
    assert "Kept-page webinar" not in upcoming_titles(client.get("/").text)
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    assert "Kept-page webinar" in upcoming_titles(client.get("/").text)
    client.logout()
    assert "Kept-page webinar" not in upcoming_titles(client.get("/").text)
    activity.delete()
    client.force_login(django_user_model.objects.get(username="admin"))
    assert "Kept-page webinar" not in upcoming_titles(client.get("/").text)


@pytest.mark.django_db(transaction=True)
def test_kept_dashboard_follows_new_sources_and_quotes(client, registry):
    client.get("/")  # kept
    source = factories.SourceFactory(title="A source written after the page was kept")
    text = client.get("/").text
    assert "A source written after the page was kept" in text
    factories.CitationFactory(source=source, record=registry.pairing, quote="A fresh quote")
    assert "A fresh quote" in client.get("/").text


def facet_counts(response) -> dict[str, int]:
    return {facet.theme.slug: facet.count for facet in response.context["theme_facets"]}


@pytest.mark.django_db(transaction=True)
def test_kept_theme_options_and_facets_follow_their_records(client, registry):
    from themes.models import Theme

    theme = Theme.objects.create(name="Heatwaves", slug="heatwaves")
    assert facet_counts(client.get("/activities/")) == {}  # kept
    assert "heatwaves" in programme_options(client.get("/activities/").text, "theme")
    registry.activity.themes.add(theme)
    assert facet_counts(client.get("/activities/")) == {"heatwaves": 1}
    theme.name = "Heat waves"
    theme.save()
    assert '<option value="heatwaves">Heat waves</option>' in client.get("/activities/").text
    registry.activity.is_published = False
    registry.activity.save()  # unpublished after anonymous readers' facets were kept with it
    assert facet_counts(client.get("/activities/")) == {}


@pytest.mark.django_db(transaction=True)
def test_kept_city_page_sections_follow_their_records(client, registry):
    page = "/cities/wichit/"
    assert "Study visit to Iloilo" in client.get(page).text  # kept
    registry.activity.cities.remove(registry.wichit)
    assert "Study visit to Iloilo" not in client.get(page).text
    registry.activity.cities.add(registry.wichit)
    registry.activity.is_published = False
    registry.activity.save()  # unpublished after anonymous readers' section was kept with it
    assert "Study visit to Iloilo" not in client.get(page).text
    factories.MembershipFactory(
        network=factories.NetworkFactory(name="Later network", slug="later"), city=registry.wichit
    )
    assert "Later network" in client.get(page).text
    registry.pairing.is_published = False
    registry.pairing.save()
    assert "Wichit – Iloilo City" not in client.get(page).text


def result_count(html: str) -> int:
    heading = re.search(r'id="results-heading"[^>]*>(.*?)</h2>', html, re.S).group(1)
    return int(re.match(r"\s*(\d+) pairing", heading).group(1))


@pytest.mark.django_db(transaction=True)
def test_kept_pairing_count_follows_new_and_unpublished_pairings(client, registry):
    plain = result_count(client.get("/pairings/").text)  # kept
    active = result_count(client.get("/pairings/?status=active").text)
    factories.PairingFactory(programme=registry.programme, status=PairingStatus.ACTIVE)
    assert result_count(client.get("/pairings/").text) == plain + 1
    hidden = factories.PairingFactory(programme=registry.programme, is_published=False)
    assert result_count(client.get("/pairings/?page=1").text) == plain + 1
    assert result_count(client.get("/pairings/?status=active").text) == active + 1
    hidden.is_published = True
    hidden.save()
    assert result_count(client.get("/pairings/").text) == plain + 2
