"""The stream select of the pairing and activity forms offers the chosen programme's streams."""

import re

import pytest

from activities.models import Activity
from programmes.models import Pairing
from tests import factories
from tests.views.test_forms import activity_data, pairing_data

pytestmark = pytest.mark.django_db


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
