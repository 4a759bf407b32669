"""The pages of networks, programmes, streams and pairings: records, lists, forms, map."""

import datetime
import re

import pytest

from activities.models import Activity
from programmes.choices import PairingStatus, ParticipantRole, StaffRole
from programmes.models import NetworkStaff, Pairing, Programme
from tests import factories
from tests.pages import (
    activity_data,
    assert_no_dangling_separator,
    cell_texts,
    pairing_data,
)

pytestmark = pytest.mark.django_db


PILOT, PARTNER = ParticipantRole.PILOT, ParticipantRole.PARTNER


def edit_data(pairing, rows, **fields):
    current = {"title": pairing.title, "status": pairing.status, "stream": pairing.stream_id or ""}
    return pairing_data(
        pairing.programme, rows, initial=pairing.participants.count(), **{**current, **fields}
    )


def programme_data(**fields):
    return {
        "name": "Urban-Act",
        "slug": "urban-act",
        "acronym": "UA",
        "status": "active",
        "start_date": "2024-01-01",
        "end_date": "2027-12-31",
        "date_precision": "year",
        "website": "",
        "description": "City pairing in Asia.",
        "is_published": "on",
        **fields,
    }


def stream_select(html: str) -> str:
    """Return the stream <select> of a form page."""
    found = re.search(r'<select name="stream".*?</select>', html, flags=re.S)
    assert found, "no stream select on the page"
    return found.group(0)


def option_labels(html: str) -> list[str]:
    """Return the labels of the <option>s in ``html``, the empty one left out."""
    labels = re.findall(r"<option value=\"(\d+)\"[^>]*>([^<]*)</option>", html)
    return [label for _, label in labels]


@pytest.fixture
def two_programmes(db):
    urban_act = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    iurc = factories.ProgrammeFactory(name="IURC", slug="iurc")
    streams = {
        "flood": factories.ThematicStreamFactory(programme=urban_act, name="Flood management"),
        "waste": factories.ThematicStreamFactory(programme=urban_act, name="Waste"),
        "green": factories.ThematicStreamFactory(programme=iurc, name="Green deal"),
    }
    return urban_act, iurc, streams


def test_unpublished_pairing_is_not_found_by_anonymous_readers(client, registry):
    pairing = factories.PairingFactory(programme=registry.programme, is_published=False)
    assert client.get(f"/pairings/{pairing.pk}/").status_code == 404


def test_unpublished_pairing_is_shown_to_officers(officer_client, registry):
    pairing = factories.PairingFactory(programme=registry.programme, is_published=False)
    assert officer_client.get(f"/pairings/{pairing.pk}/").status_code == 200


def test_city_page_hides_unpublished_pairings_from_anonymous_readers(client, registry):
    factories.PairingFactory(
        programme=registry.programme,
        title="Hidden pairing",
        is_published=False,
        cities=[registry.wichit, factories.CityFactory()],
    )
    assert "Hidden pairing" not in client.get(f"/cities/{registry.wichit.slug}/").text


def test_pairing_page_shows_edit_links_only_with_permission(client, officer_client, registry):
    url = f"/pairings/{registry.pairing.pk}/"
    assert f"/pairings/{registry.pairing.pk}/edit/" in officer_client.get(url).text
    client.logout()
    assert f"/pairings/{registry.pairing.pk}/edit/" not in client.get(url).text


def test_status_badge_names_the_status(client, registry):
    response = client.get(f"/pairings/{registry.pairing.pk}/")
    assert f'class="badge status-{PairingStatus.ACTIVE}">Active<' in response.text


@pytest.mark.parametrize("page", ["programme", "stream"])
def test_pages_without_a_city_list_every_participant(client, page):
    programme = factories.ProgrammeFactory(slug="urban-act")
    stream = factories.ThematicStreamFactory(programme=programme, slug="flood")
    cities = [factories.CityFactory(name=name) for name in ("Hat Yai", "Penang")]
    factories.PairingFactory(programme=programme, stream=stream, cities=cities)
    response = client.get(f"/{page}s/{programme.slug if page == 'programme' else stream.slug}/")
    assert response.status_code == 200
    assert_no_dangling_separator(response.text)
    assert "Hat Yai (Partner city), Penang (Partner city)" in cell_texts(response.text)


def test_pairings_filtered_by_city_slug_and_status(client, registry):
    response = client.get("/pairings/", {"city": "iloilo-city", "status": PairingStatus.ACTIVE})
    assert [row["title"] for row in response.context["object_list"]] == ["Wichit – Iloilo City"]


def test_anonymous_readers_do_not_see_unpublished_pairings(client, registry):
    factories.PairingFactory(programme=registry.programme, title="Secret", is_published=False)
    assert "Secret" not in client.get("/pairings/").text


def test_officers_see_unpublished_pairings(officer_client, registry):
    factories.PairingFactory(programme=registry.programme, title="Secret", is_published=False)
    assert "Secret" in officer_client.get("/pairings/").text


def test_new_pairing_button_only_for_those_who_may_add(client, officer_client, registry):
    assert 'href="/pairings/new/"' in officer_client.get("/pairings/").text
    client.logout()
    assert 'href="/pairings/new/"' not in client.get("/pairings/").text


def test_programme_officer_edits_only_their_programmes_pairings(
    client, django_user_model, registry
):
    user = django_user_model.objects.create_user("scoped", password="x-pass-99")
    NetworkStaff.objects.create(user=user, network=registry.network, role=StaffRole.OFFICER)
    other = factories.PairingFactory()
    client.force_login(user)
    assert client.get(f"/pairings/{registry.pairing.pk}/edit/").status_code == 200
    assert client.get(f"/pairings/{other.pk}/edit/").status_code == 403


def test_programme_officer_cannot_add_a_pairing_to_another_programme(
    client, django_user_model, registry
):
    user = django_user_model.objects.create_user("scoped", password="x-pass-99")
    NetworkStaff.objects.create(user=user, network=registry.network, role=StaffRole.OFFICER)
    client.force_login(user)
    other = factories.ProgrammeFactory()
    data = pairing_data(other, [("Wichit", PILOT), ("Iloilo City", PARTNER)])
    response = client.post("/pairings/new/", data)
    assert response.status_code == 200
    assert "only in the programmes your network runs" in response.text
    assert not Pairing.objects.filter(programme=other).exists()


def test_create_pairing_with_two_cities(officer_client, registry):
    phuket = factories.CityFactory(name="Phuket", slug="phuket")
    data = pairing_data(
        registry.programme, [("Vichit", PILOT), ("Phuket (TH)", PARTNER), ("", PARTNER)]
    )
    response = officer_client.post("/pairings/new/", data)
    pairing = Pairing.objects.get(title="Wichit – Phuket")
    assert response.status_code == 302
    assert response["Location"] == f"/pairings/{pairing.pk}/"
    roles = {p.city: p.role for p in pairing.participants.all()}
    assert roles == {registry.wichit: PILOT, phuket: PARTNER}
    assert list(pairing.status_changes.values_list("status", flat=True)) == ["proposed"]
    page = officer_client.get(response["Location"])
    assert "Pairing “Wichit – Phuket” saved." in page.text


def test_pairing_needs_two_cities(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT)], title="Alone")
    response = officer_client.post("/pairings/new/", data)
    assert response.status_code == 200
    assert response.text.count("A pairing needs at least two cities.") == 1
    assert 'value="Alone"' in response.text  # what the officer typed is kept
    assert not Pairing.objects.filter(title="Alone").exists()


def test_pairing_rejects_the_same_city_twice(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Vichit", PARTNER)])
    response = officer_client.post("/pairings/new/", data)
    assert "Wichit is already in this pairing: list it once." in response.text


def test_pairing_rejects_cities_already_paired_in_the_programme_and_stream(
    officer_client, registry
):
    data = pairing_data(
        registry.programme,
        [("Wichit", PILOT), ("Iloilo City", PARTNER)],
        stream=registry.stream.pk,
        title="Again",
    )
    response = officer_client.post("/pairings/new/", data)
    assert response.status_code == 200
    assert "These cities are already paired in this programme and stream" in response.text
    assert not Pairing.objects.filter(title="Again").exists()


def test_pairing_says_when_a_city_is_unknown(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Atlantis", PARTNER)])
    response = officer_client.post("/pairings/new/", data)
    assert "No city is called “Atlantis”." in response.text
    assert 'value="Atlantis"' in response.text


def test_pairing_suggests_a_city_for_a_misspelling(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Iloilo Cty", PARTNER)])
    response = officer_client.post("/pairings/new/", data)
    assert "Did you mean “Iloilo City (PH)”?" in response.text


def test_pairing_says_when_a_city_name_is_ambiguous(officer_client, registry):
    factories.CityFactory(name="Iloilo City", slug="iloilo-city-2", country="TH")
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Iloilo City", PARTNER)])
    response = officer_client.post("/pairings/new/", data)
    assert "Several cities are called “Iloilo City”: add the country code" in response.text


def test_pairing_reads_a_city_as_the_importers_do(officer_client, registry):
    factories.CityFactory(name="Iloilo City", slug="iloilo-city-2", country="TH")
    data = pairing_data(
        registry.programme,
        [("Wichit|Thailand", PILOT), ("Iloilo City (Philippines)", PARTNER)],
        title="Read alike",
    )
    response = officer_client.post("/pairings/new/", data)
    assert response.status_code == 302
    pairing = Pairing.objects.get(title="Read alike")
    assert {p.city.slug for p in pairing.participants.all()} == {
        registry.wichit.slug,
        "iloilo-city",
    }


def test_pairing_says_when_a_city_s_country_is_unknown(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Iloilo City|Atlantis", PARTNER)])
    response = officer_client.post("/pairings/new/", data)
    assert response.status_code == 200
    assert "No country is called “Atlantis”" in response.text


def test_pairing_rejects_an_end_before_its_start(officer_client, registry):
    data = pairing_data(
        registry.programme,
        [("Wichit", PILOT), ("Phuket", PARTNER)],
        start_date="2026-05-01",
        end_date="2026-03-01",
    )
    factories.CityFactory(name="Phuket", slug="phuket")
    response = officer_client.post("/pairings/new/", data)
    assert 'id="id_end_date_error"' in response.text
    assert "The end date cannot be before the start date." in response.text


def test_pairing_rejects_a_stream_of_another_programme(officer_client, registry):
    other_stream = factories.ThematicStreamFactory()
    data = pairing_data(
        registry.programme,
        [("Wichit", PILOT), ("Iloilo City", PARTNER)],
        stream=other_stream.pk,
    )
    response = officer_client.post("/pairings/new/", data)
    assert "Choose a stream of the pairing&#x27;s own programme." in response.text


def test_pairing_needs_a_programme(officer_client, registry):
    data = pairing_data(registry.programme, [("Wichit", PILOT), ("Iloilo City", PARTNER)])
    data["programme"] = ""
    response = officer_client.post("/pairings/new/", data)
    assert 'id="id_programme_error"' in response.text
    assert "This field is required." in response.text


def test_edit_pairing_changes_participants_and_records_the_status(officer_client, registry):
    pairing = registry.pairing
    factories.CityFactory(name="Phuket", slug="phuket")
    data = edit_data(
        pairing,
        [("Wichit (TH)", PILOT), ("Iloilo City (PH)", PARTNER), ("Phuket", PARTNER)],
        status=PairingStatus.COMPLETED,
        status_changed_on="2026-06-30",
        status_note="Final report",
    )
    response = officer_client.post(f"/pairings/{pairing.pk}/edit/", data)
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.COMPLETED
    assert sorted(c.name for c in pairing.cities.all()) == ["Iloilo City", "Phuket", "Wichit"]
    last = pairing.status_changes.last()
    assert (last.status, last.changed_on, last.note) == (
        "completed",
        datetime.date(2026, 6, 30),
        "Final report",
    )


def test_edit_pairing_removes_a_city_with_the_remove_box(officer_client, registry):
    pairing = factories.PairingFactory(programme=registry.programme, title="Three")
    third = factories.CityFactory()
    pairing.participants.create(city=third)
    names = [str(city) for city in pairing.cities.all()]
    data = edit_data(pairing, [(name, PARTNER) for name in names])
    data["participants-2-DELETE"] = "on"
    assert officer_client.post(f"/pairings/{pairing.pk}/edit/", data).status_code == 302
    assert pairing.cities.count() == 2


def test_edit_form_shows_the_current_participants(officer_client, registry):
    response = officer_client.get(f"/pairings/{registry.pairing.pk}/edit/")
    assert 'value="Wichit (TH)"' in response.text
    assert 'value="Iloilo City (PH)"' in response.text


def test_failed_edit_changes_nothing(officer_client, registry):
    pairing = registry.pairing
    data = edit_data(pairing, [("Wichit", PILOT)], title="Renamed")
    response = officer_client.post(f"/pairings/{pairing.pk}/edit/", data)
    assert response.status_code == 200
    pairing.refresh_from_db()
    assert pairing.title == "Wichit – Iloilo City"
    assert pairing.participants.count() == 2


def test_delete_pairing_asks_first_then_deletes(officer_client, registry):
    url = f"/pairings/{registry.pairing.pk}/delete/"
    assert "Yes, delete" in officer_client.get(url).text
    response = officer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/pairings/"
    assert not Pairing.objects.filter(pk=registry.pairing.pk).exists()
    registry.activity.refresh_from_db()
    assert registry.activity.pairing is None


def test_edit_programme(officer_client, registry):
    response = officer_client.post("/programmes/urban-act/edit/", programme_data())
    assert response.status_code == 302
    assert Programme.objects.get(slug="urban-act").description == "City pairing in Asia."


def test_programme_rejects_an_end_before_its_start(officer_client, registry):
    data = programme_data(start_date="2027-01-01", end_date="2024-01-01")
    response = officer_client.post("/programmes/urban-act/edit/", data)
    assert 'id="id_end_date_error"' in response.text
    assert "The end date cannot be before the start date." in response.text


def test_programme_rejects_a_malformed_website(officer_client, registry):
    response = officer_client.post("/programmes/urban-act/edit/", programme_data(website="x y"))
    assert "Enter a valid URL." in response.text


def test_map_fetches_filtered_geojson_from_its_own_addresses(client, registry):
    response = client.get("/map/", {"programme": "urban-act", "status": "active"})
    assert response.status_code == 200
    assert 'data-pairings-url="/map/pairings.geojson?programme=urban-act&amp;status=active' in (
        response.text
    )
    # Cities have no status filter: only the filters the city filterset knows go along.
    assert response.context["cities_url"] == "/map/cities.geojson?programme=urban-act"
    pairings = client.get(response.context["pairings_url"])
    assert pairings["Content-Type"] == "application/geo+json"
    assert pairings.json()["type"] == "FeatureCollection"
    assert "vendor/leaflet/leaflet.js" in response.text
    assert 'data-only-paired-cities="true"' in response.text


def test_map_without_filters_shows_every_city(client, db):
    response = client.get("/map/")
    assert 'data-only-paired-cities="false"' in response.text
    assert response.context["cities_url"] == "/map/cities.geojson"


@pytest.mark.parametrize("form", ["pairing", "activity"])
def test_edit_form_offers_only_its_programmes_streams(admin_client, two_programmes, form):
    urban_act, _, _ = two_programmes
    if form == "pairing":
        record = factories.PairingFactory(programme=urban_act)
        url = f"/pairings/{record.pk}/edit/"
    else:
        record = factories.ActivityFactory(programme=urban_act)
        url = f"/activities/{record.pk}/edit/"
    select = stream_select(admin_client.get(url).text)
    assert option_labels(select) == ["Flood management", "Waste"]


@pytest.mark.parametrize("url", ["/pairings/new/", "/activities/new/"])
def test_new_form_groups_every_stream_under_its_programme(admin_client, two_programmes, url):
    select = stream_select(admin_client.get(url).text)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, flags=re.S)
    assert [(label, option_labels(options)) for label, options in groups] == [
        ("IURC", ["Green deal"]),
        ("Urban-Act", ["Flood management", "Waste"]),
    ]


@pytest.mark.parametrize("url", ["/pairings/new/", "/activities/new/"])
def test_programme_select_asks_for_its_streams_when_it_changes(admin_client, db, url):
    html = admin_client.get(url).text
    programme = re.search(r'<select name="programme"[^>]*>', html).group(0)
    assert 'data-hx-get="/streams/options/"' in programme
    assert 'data-hx-trigger="change"' in programme
    assert 'data-hx-target="#id_stream"' in programme
    assert 'data-hx-include="#id_stream"' in programme
    assert " hx-" not in html  # only data-hx-*, which the HTML checker accepts


def test_form_sent_back_offers_the_streams_of_the_programme_it_names(admin_client, two_programmes):
    """Without JavaScript: a stream of another programme is refused in words, and the
    form comes back listing the chosen programme's streams to pick from."""
    urban_act, iurc, streams = two_programmes
    factories.CityFactory(name="Wichit")
    factories.CityFactory(name="Iloilo")
    data = pairing_data(
        iurc,
        [("Wichit", "pilot"), ("Iloilo", "partner")],
        stream=streams["flood"].pk,
    )
    response = admin_client.post("/pairings/new/", data)
    assert response.status_code == 200
    assert "Choose a stream of the pairing&#x27;s own programme." in response.text
    assert option_labels(stream_select(response.text)) == ["Green deal"]
    assert not Pairing.objects.exists()
    response = admin_client.post(
        "/activities/new/", activity_data(programme=iurc.pk, stream=streams["waste"].pk)
    )
    assert "Choose a stream of the activity&#x27;s own programme." in response.text
    assert option_labels(stream_select(response.text)) == ["Green deal"]
    assert not Activity.objects.exists()


def test_stream_options_lists_the_programmes_streams_keeping_the_chosen_one(client, two_programmes):
    urban_act, _, streams = two_programmes
    html = client.get(
        "/streams/options/", {"programme": urban_act.pk, "stream": streams["waste"].pk}
    ).text
    assert "<select" not in html
    assert option_labels(html) == ["Flood management", "Waste"]
    assert f'<option value="{streams["waste"].pk}" selected>Waste</option>' in html
    assert '<option value="">---------</option>' in html


def test_stream_options_without_a_programme_groups_every_stream(client, two_programmes):
    html = client.get("/streams/options/", {"programme": ""}).text
    assert re.findall(r'<optgroup label="([^"]+)">', html) == ["IURC", "Urban-Act"]


def test_stream_options_hide_the_streams_of_unpublished_programmes(client, two_programmes):
    urban_act, iurc, _ = two_programmes
    iurc.is_published = False
    iurc.save()
    assert option_labels(client.get("/streams/options/", {"programme": iurc.pk}).text) == []
    assert option_labels(client.get("/streams/options/").text) == ["Flood management", "Waste"]


# The pairing table's row as it was written from model instances, before the rows were
# read lean: the lean rows must render the same HTML.
ROW_FROM_INSTANCES = """{% load registry %}{% for pairing in pairings %}
    <tr>
      <th scope="row"><a href="{{ pairing.get_absolute_url }}">{{ pairing.title }}</a>{% if not pairing.is_verified %} <span class="badge">unverified</span>{% endif %}{% if not pairing.is_published %} <span class="badge">unpublished</span>{% endif %}</th>
      <td>{% for participant in pairing.participants.all %}<a href="{{ participant.city.get_absolute_url }}">{{ participant.city.name }}</a> <small class="muted">{{ participant.city.country.code }}</small>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
      <td><a href="{{ pairing.programme.get_absolute_url }}">{{ pairing.programme.name }}</a>{% if pairing.stream %}<br><small>{{ pairing.stream.name }}</small>{% endif %}</td>
      <td>{% status_badge pairing %}</td>
      <td>{{ pairing.period_display }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501


def test_lean_pairing_rows_render_as_the_pairings_themselves(client, registry, django_user_model):
    from django.template import Context, Template

    factories.PairingFactory(
        programme=registry.programme,
        title="Draft <pairing> & co",
        is_published=False,
        is_verified=False,
        end_date=datetime.date(2027, 5, 1),
    )
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    html = client.get("/pairings/", {"ordering": "title"}).text
    tbody = html.split("<tbody>")[1].split("</tbody>")[0]
    pairings = Pairing.objects.with_participants().order_by("title")
    expected = Template(ROW_FROM_INSTANCES).render(Context({"pairings": pairings}))
    assert "Draft &lt;pairing&gt; &amp; co" in tbody and "unpublished" in tbody
    assert tbody.strip() == expected.strip()
