"""Create, edit and delete forms: valid saves, each validation error, permissions."""

import datetime

import pytest

from activities.models import Activity
from cities.models import City
from programmes.choices import PairingStatus, ParticipantRole, StaffRole
from programmes.models import NetworkStaff, Pairing, Programme
from tests import factories

pytestmark = pytest.mark.django_db


def pairing_data(programme, rows, *, initial=0, **fields):
    """Return the POST data of the pairing form: its fields and participant rows."""
    data = {
        "programme": programme.pk,
        "stream": "",
        "title": "",
        "kind": "programme_pairing",
        "status": PairingStatus.PROPOSED,
        "start_date": "",
        "end_date": "",
        "date_precision": "month",
        "description": "",
        "is_published": "on",
        "is_verified": "on",
        "status_changed_on": "",
        "status_note": "",
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": str(initial),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, (city, role) in enumerate(rows):
        data[f"participants-{index}-city"] = city
        data[f"participants-{index}-role"] = role
        data[f"participants-{index}-note"] = ""
    data.update(fields)
    return data


def activity_data(**fields):
    data = {
        "title": "Online consultation",
        "kind": "online_consultation",
        "status": "planned",
        "start_date": "2026-03-01",
        "end_date": "",
        "date_precision": "day",
        "programme": "",
        "stream": "",
        "pairing": "",
        "location_city": "",
        "location": "Online",
        "cities": [],
        "description": "",
        "outcomes": "",
        "cost_estimate": "",
        "cost_currency": "",
        "is_published": "on",
    }
    data.update(fields)
    return data


PILOT, PARTNER = ParticipantRole.PILOT, ParticipantRole.PARTNER


# --- Who may open the forms ----------------------------------------------------------


@pytest.mark.parametrize("url", ["/pairings/new/", "/activities/new/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_users_without_permission_are_refused(reader_client, registry):
    assert reader_client.get("/pairings/new/").status_code == 403
    assert reader_client.get(f"/pairings/{registry.pairing.pk}/edit/").status_code == 403
    assert reader_client.get(f"/cities/{registry.wichit.slug}/edit/").status_code == 403


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


# --- Pairings ------------------------------------------------------------------------


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


def edit_data(pairing, rows, **fields):
    current = {"title": pairing.title, "status": pairing.status, "stream": pairing.stream_id or ""}
    return pairing_data(
        pairing.programme, rows, initial=pairing.participants.count(), **{**current, **fields}
    )


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


# --- Activities ----------------------------------------------------------------------


def test_create_activity_at_month_precision(officer_client, registry):
    data = activity_data(
        title="Peer exchange",
        start_date="2026-03-15",
        end_date="2026-04-02",
        date_precision="month",
        programme=registry.programme.pk,
        stream=registry.stream.pk,
        pairing=registry.pairing.pk,
        location_city="Wichit",
        cities=["Vichit", "Iloilo City (PH)", ""],
        organisers=[registry.network.pk],
        cost_estimate="1500",
        cost_currency="eur",
    )
    response = officer_client.post("/activities/new/", data)
    activity = Activity.objects.get(title="Peer exchange")
    assert response.status_code == 302
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
    )
    assert activity.period_display == "Mar–Apr 2026"
    assert activity.location_city == registry.wichit
    assert set(activity.cities.all()) == {registry.wichit, registry.iloilo}
    assert activity.cost_currency == "EUR"
    assert "Mar–Apr 2026" in officer_client.get(response["Location"]).text


def test_activity_rejects_an_end_before_its_start(officer_client, registry):
    data = activity_data(start_date="2026-03-20", end_date="2026-03-10", title="Backwards")
    response = officer_client.post("/activities/new/", data)
    assert response.status_code == 200
    assert 'id="id_end_date_error"' in response.text
    assert "The end date cannot be before the start date." in response.text
    assert 'value="Backwards"' in response.text
    assert 'value="2026-03-20"' in response.text


def test_activity_needs_a_start_date(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(start_date=""))
    assert 'id="id_start_date_error"' in response.text


def test_activity_says_when_a_date_is_not_a_date(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(start_date="March"))
    assert "Enter a valid date." in response.text


def test_activity_cost_needs_a_currency(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(cost_estimate="100"))
    assert "Give the currency of the cost estimate" in response.text


def test_activity_rejects_an_unknown_currency(officer_client, registry):
    data = activity_data(cost_estimate="100", cost_currency="XYZ")
    response = officer_client.post("/activities/new/", data)
    assert "“XYZ” is not an ISO 4217 currency code" in response.text


def test_activity_rejects_a_negative_cost(officer_client, registry):
    data = activity_data(cost_estimate="-5", cost_currency="EUR")
    response = officer_client.post("/activities/new/", data)
    assert 'id="id_cost_estimate_error"' in response.text


def test_activity_rejects_a_stream_of_another_programme(officer_client, registry):
    other = factories.ProgrammeFactory()
    data = activity_data(programme=other.pk, stream=registry.stream.pk)
    response = officer_client.post("/activities/new/", data)
    assert "Choose a stream of the activity&#x27;s own programme." in response.text


def test_activity_rejects_a_pairing_of_another_programme(officer_client, registry):
    other = factories.ProgrammeFactory()
    data = activity_data(programme=other.pk, pairing=registry.pairing.pk)
    response = officer_client.post("/activities/new/", data)
    assert "Choose a pairing of the activity&#x27;s own programme." in response.text


def test_activity_says_when_a_pairing_number_does_not_exist(officer_client, registry):
    response = officer_client.post("/activities/new/", activity_data(pairing="99999"))
    assert "No pairing has that number" in response.text


def test_activity_says_which_participating_city_is_unknown(officer_client, registry):
    data = activity_data(cities=["Wichit", "Atlantis"])
    response = officer_client.post("/activities/new/", data)
    assert "No city is called “Atlantis”." in response.text
    assert 'value="Atlantis"' in response.text


def test_add_activity_from_a_pairing_starts_from_it(officer_client, registry):
    response = officer_client.get("/activities/new/", {"pairing": registry.pairing.pk})
    form = response.context["form"]
    assert form.initial["programme"] == registry.programme.pk
    assert 'value="Wichit (TH)"' in response.text


def test_edit_activity(officer_client, registry):
    activity = registry.activity
    data = activity_data(
        title="Study visit to Iloilo, revised",
        start_date="2026-03-01",
        end_date="2026-04-30",
        date_precision="month",
        programme=registry.programme.pk,
        cities=["Wichit"],
    )
    response = officer_client.post(f"/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Study visit to Iloilo, revised"
    assert list(activity.cities.all()) == [registry.wichit]


def test_edit_activity_form_shows_its_cities(officer_client, registry):
    response = officer_client.get(f"/activities/{registry.activity.pk}/edit/")
    assert 'value="Wichit (TH)"' in response.text
    assert 'value="Iloilo City (PH)"' in response.text


def test_delete_activity(officer_client, registry):
    response = officer_client.post(f"/activities/{registry.activity.pk}/delete/")
    assert response["Location"] == "/activities/"
    assert not Activity.objects.filter(pk=registry.activity.pk).exists()


# --- Cities and programmes -----------------------------------------------------------


def test_edit_city(officer_client, registry):
    data = {
        "name": "Wichit",
        "slug": "wichit",
        "country": "TH",
        "admin_area": "Phuket Province",
        "kind": "municipality",
        "population": "80000",
        "latitude": "7.86",
        "longitude": "98.37",
        "geonames_id": "",
        "description": "",
    }
    response = officer_client.post("/cities/wichit/edit/", data)
    assert response.status_code == 302
    assert City.objects.get(slug="wichit").admin_area == "Phuket Province"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "95"}, "latitude", "Latitude must be between -90 and 90 degrees."),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        ({"name": ""}, "name", "This field is required."),
        ({"slug": "iloilo-city"}, "slug", "City with this Slug already exists."),
    ],
)
def test_city_form_errors(officer_client, registry, changes, field, message):
    data = {
        "name": "Wichit",
        "slug": "wichit",
        "country": "TH",
        "kind": "city",
        "latitude": "7.86",
        "longitude": "98.37",
        **changes,
    }
    response = officer_client.post("/cities/wichit/edit/", data)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text


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


def test_form_fields_all_have_labels(officer_client, registry):
    for url in ("/pairings/new/", "/activities/new/", "/cities/wichit/edit/"):
        response = officer_client.get(url)
        form = response.context["form"]
        for field in form:
            if not field.is_hidden:
                assert f'for="{field.id_for_label}"' in response.text or field.use_fieldset, (
                    url,
                    field.name,
                )


def test_cancel_goes_back_to_the_list_or_the_record(officer_client, registry):
    assert 'href="/pairings/" class="button-link secondary outline">Cancel' in (
        officer_client.get("/pairings/new/").text
    )
    edit = officer_client.get(f"/activities/{registry.activity.pk}/edit/").text
    assert (
        f'href="/activities/{registry.activity.pk}/" class="button-link secondary outline"' in edit
    )
