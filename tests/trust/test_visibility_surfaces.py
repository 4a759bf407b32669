"""Every surface hides what belongs to an unpublished programme, and shows it to those
who may see it.

"Hushhush" (network B's programme) is unpublished; its stream, pairing and activities
keep their own "published" flags. Anonymous readers and network A's officer must find
none of it anywhere (404 for a detail, absent from lists, exports, feeds, search, the
calendar and counts); network B's officer and an admin see all of it.
"""

import datetime
import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client

from activities.models import Activity
from partners.models import PartnerRequest
from programmes.choices import StaffRole
from programmes.models import NetworkStaff, StreamMember
from tests import factories

# Words that occur only in the unpublished programme's records.
ACTIVITY = "Zyxwv"  # the three activities' titles
PAIRING = "Quillon"
STREAM = "Plover"
PROGRAMME = "Hushhush"
PARTICIPANT = "Hiddenham"  # a city only the hidden activity names
PAIRED = "Secretville"  # a city only the hidden pairing names
QUOTE = "Whispered"
REQUEST = "Ptarmigan"
PRIORITY = "Lapwing"  # a priority of the hidden stream, which a public activity matches


@pytest.fixture
def hushhush(db, django_user_model):
    """The unpublished programme with its published-flagged records, beside a published one."""
    w = type("World", (), {})()
    w.network_a = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    w.network_b = factories.NetworkFactory(name="CityNet", slug="citynet")
    w.public = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    w.secret = factories.ProgrammeFactory(name=f"{PROGRAMME} programme", slug="hushhush")
    w.secret.is_published = False
    w.secret.save()
    factories.ProgrammeNetworkFactory(programme=w.public, network=w.network_a)
    factories.ProgrammeNetworkFactory(programme=w.secret, network=w.network_b)
    w.host = factories.CityFactory(name="Hostburg", slug="hostburg")
    w.partner = factories.CityFactory(name="Openford", slug="openford")
    w.paired = factories.CityFactory(name=PAIRED, slug="secretville")
    w.participant = factories.CityFactory(name=PARTICIPANT, slug="hiddenham")

    when = datetime.date.today() + datetime.timedelta(days=10)
    w.public_pairing = factories.PairingFactory(
        programme=w.public, title="Hostburg – Openford", cities=[w.host, w.partner]
    )
    w.public_activity = factories.ActivityFactory(
        programme=w.public, title=f"{PRIORITY} wetland restoration visit", start_date=when
    )
    w.public_activity.cities.set([w.partner])
    w.stream = factories.ThematicStreamFactory(
        programme=w.secret, name=f"{STREAM} stream", slug="plover"
    )
    w.pairing = factories.PairingFactory(
        programme=w.secret, stream=w.stream, title=f"{PAIRING} pairing", cities=[w.host, w.paired]
    )
    w.activity = factories.ActivityFactory(
        programme=w.secret,
        stream=w.stream,
        pairing=w.pairing,
        location_city=w.host,
        title=f"{ACTIVITY} workshop",
        start_date=when,
    )
    w.activity.cities.set([w.participant, w.host])
    # Without a programme of their own, hidden by their stream or their pairing.
    w.by_stream = factories.ActivityFactory(
        programme=None, stream=w.stream, title=f"{ACTIVITY} stream meeting", start_date=when
    )
    w.by_pairing = factories.ActivityFactory(
        programme=None, pairing=w.pairing, title=f"{ACTIVITY} pairing call", start_date=when
    )
    StreamMember.objects.create(stream=w.stream, city=w.host)
    factories.StreamPriorityFactory(stream=w.stream, text=f"{PRIORITY} wetland restoration")
    PartnerRequest.objects.create(
        city=w.host, programme=w.secret, stream=w.stream, theme=f"{REQUEST} sharing"
    )
    w.source = factories.SourceFactory(title="Annual report", slug="annual-report")
    factories.CitationFactory(source=w.source, record=w.activity, quote=f"{QUOTE} passage.")
    factories.CitationFactory(source=w.source, record=w.public_activity, quote="Open passage.")
    # The public activity once named the hidden pairing: its history must not name it.
    Activity.objects.filter(pk=w.public_activity.pk).update(pairing=w.pairing)
    Activity.objects.filter(pk=w.public_activity.pk).update(pairing=None)

    def officer(name, network):
        user = django_user_model.objects.create_user(name, password="a-long-pass-99")
        NetworkStaff.objects.create(user=user, network=network, role=StaffRole.OFFICER)
        return user

    w.readers = {
        "anonymous": AnonymousUser(),
        "other-officer": officer("officer-a", w.network_a),
        "own-officer": officer("officer-b", w.network_b),
        "admin": django_user_model.objects.create_superuser("admin", "a@example.org", "x-pass-99"),
    }
    return w


def details(w) -> list[str]:
    """Pages and API records of the hidden programme: 404 for who may not see them."""
    activities = [w.activity.pk, w.by_stream.pk, w.by_pairing.pk]
    return [
        *(f"/activities/{pk}/" for pk in activities),
        *(f"/api/v1/activities/{pk}/" for pk in activities),
        f"/pairings/{w.pairing.pk}/",
        f"/api/v1/pairings/{w.pairing.pk}/",
        f"/api/v1/pairings/{w.pairing.pk}/?format=geojson",
        "/streams/plover/",
        f"/api/v1/thematic-streams/{w.stream.pk}/",
        "/programmes/hushhush/",
        f"/api/v1/programmes/{w.secret.pk}/",
        "/programmes/hushhush/report/",
        "/programmes/hushhush/report.csv",
    ]


def signed_in_details(w) -> list[str]:
    """History of the hidden records (signed-in users only)."""
    return [
        f"/activities/{w.activity.pk}/history/",
        f"/pairings/{w.pairing.pk}/history/",
        "/streams/plover/history/",
        "/programmes/hushhush/history/",
        f"/api/v1/activities/{w.activity.pk}/history/",
        f"/api/v1/pairings/{w.pairing.pk}/history/",
    ]


def listings(w) -> list[tuple[str, tuple[str, ...]]]:
    """Lists, exports, feeds and pages that name records: (address, hidden words)."""
    month = w.activity.start_date.strftime("%Y-%m")
    return [
        ("/", (ACTIVITY, PROGRAMME)),  # upcoming activities, programmes by pairings
        ("/activities/", (ACTIVITY, PROGRAMME)),  # rows, and the programme filter's choices
        (f"/activities/?month={month}", (ACTIVITY,)),
        ("/activities/?programme=hushhush", (ACTIVITY,)),
        (f"/activities/?pairing_id={w.pairing.pk}", (ACTIVITY,)),
        ("/activities/?programme=urban-act&stream=plover", (STREAM,)),  # a typed stream slug
        (f"/activities/calendar/?year={w.activity.start_date.year}", (ACTIVITY,)),
        ("/pairings/", (PAIRING,)),
        ("/streams/", (STREAM,)),
        ("/programmes/", (PROGRAMME,)),
        ("/cities/hostburg/", (ACTIVITY, PAIRING, STREAM)),
        ("/cities/?programme=hushhush", (PAIRED,)),
        ("/cities/hostburg/partners/", (STREAM,)),  # the stream choices
        ("/networks/citynet/", (PROGRAMME,)),
        ("/partner-requests/", (REQUEST,)),
        ("/sources/annual-report/", (QUOTE,)),
        # Searched in lower case, so that the query the page repeats is not a finding.
        (f"/search/?q={ACTIVITY.lower()}", (ACTIVITY,)),
        (f"/search/?q={PAIRING.lower()}", (PAIRING,)),
        (f"/search/?q={PROGRAMME.lower()}", (PROGRAMME,)),
        ("/import/activities/export.csv", (ACTIVITY,)),
        ("/import/activities/export.json", (ACTIVITY,)),
        ("/import/activities/export.xlsx", (ACTIVITY,)),
        ("/import/pairings/export.csv", (PAIRING,)),
        ("/api/v1/activities/", (ACTIVITY,)),
        (f"/api/v1/activities/?month={month}", (ACTIVITY,)),
        ("/api/v1/activities/?format=csv", (ACTIVITY,)),
        ("/api/v1/activities/?format=ics", (ACTIVITY,)),
        ("/api/v1/pairings/", (PAIRING,)),
        ("/api/v1/pairings/?format=csv", (PAIRING,)),
        ("/api/v1/pairings/?format=geojson", (PAIRING,)),
        ("/api/v1/thematic-streams/", (STREAM,)),
        ("/api/v1/programmes/", (PROGRAMME,)),
        ("/api/v1/cities/?programme=hushhush", (PAIRED,)),
        ("/map/pairings.geojson", (PAIRING,)),
        ("/map/cities.geojson?programme=hushhush", (PAIRED,)),
        ("/map/data.json", (PAIRING,)),
        ("/map/data.json?programme=hushhush", (PAIRED,)),
        ("/api/v1/cities/?format=geojson&programme=hushhush", (PAIRED,)),
        (f"/api/v1/cities/{w.host.pk}/partner-suggestions/?need={ACTIVITY}", (PARTICIPANT,)),
        # Hostburg's priority in the hidden stream, found through the stream's name.
        (f"/api/v1/cities/{w.host.pk}/partner-suggestions/?need={STREAM.lower()}", (PRIORITY,)),
    ]


def signed_in_listings(w) -> list[tuple[str, tuple[str, ...]]]:
    """The change feed and a public record's history that once named a hidden one."""
    return [
        ("/api/v1/changes/", (ACTIVITY, PAIRING, STREAM, PROGRAMME)),
        ("/api/v1/changes/?model=programmes.pairingparticipant", (PAIRING, PAIRED)),
        (f"/api/v1/activities/{w.public_activity.pk}/history/", (PAIRING,)),
        (f"/activities/{w.public_activity.pk}/history/", (PAIRING,)),
    ]


def client_for(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def text_of(response) -> str:
    """Return what a response says, whatever its format (an XLSX's cells too)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return json.dumps(
            [list(row) for sheet in book for row in sheet.iter_rows(values_only=True)],
            default=str,
        )
    return content.decode("utf-8", errors="replace")


def findings(w, user, *, hidden: bool) -> list[str]:
    """Visit every surface as ``user``; return what disagrees with ``hidden``: a record
    that is not a 404 (or not a 200), a list that shows (or lacks) a hidden word."""
    client = client_for(user)
    signed_in = user.is_authenticated
    record_pages = details(w) + (signed_in_details(w) if signed_in else [])
    lists = listings(w) + (signed_in_listings(w) if signed_in else [])
    expected_status = 404 if hidden else 200
    found = []
    for url in record_pages:
        status = client.get(url).status_code
        if status != expected_status:
            found.append(f"{url}: {status}, not {expected_status}")
    for url, words in lists:
        response = client.get(url)
        text = text_of(response)
        wrong = [word for word in words if (word in text) == hidden]
        if wrong:
            found.append(f"{url}: {'shows' if hidden else 'lacks'} {', '.join(wrong)}")
        elif response.status_code >= 500:
            found.append(f"{url}: {response.status_code}")
    return found


@pytest.mark.parametrize("reader", ["anonymous", "other-officer"])
def test_nothing_of_an_unpublished_programme_shows(hushhush, reader):
    assert findings(hushhush, hushhush.readers[reader], hidden=True) == []


@pytest.mark.parametrize("reader", ["own-officer", "admin"])
def test_everything_shows_to_who_may_see_it(hushhush, reader):
    assert findings(hushhush, hushhush.readers[reader], hidden=False) == []


@pytest.mark.parametrize(
    ("reader", "activities", "others"),
    [("anonymous", 1, 1), ("other-officer", 1, 1), ("own-officer", 4, 2), ("admin", 4, 2)],
)
def test_home_counts_only_what_the_reader_may_see(hushhush, reader, activities, others):
    response = client_for(hushhush.readers[reader]).get("/")
    totals = {label: str(total) for label, _, total in response.context["totals"]}
    assert totals["activities"] == str(activities)
    assert totals["pairings"] == totals["programmes"] == str(others)


def test_a_hidden_record_cannot_be_named_in_a_write(hushhush, django_user_model):
    """An id of a hidden pairing is "does not exist", as its page is a 404."""
    editor = django_user_model.objects.create_user("editor")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_activity", "change_activity"])
    )
    response = client_for(editor).post(
        "/api/v1/activities/",
        {"title": "Visit", "start_date": "2026-05-01", "pairing": hushhush.pairing.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "pairing" in response.json()["errors"]
    assert not Activity.objects.filter(title="Visit").exists()


def test_the_edit_form_offers_only_visible_programmes(hushhush):
    response = client_for(hushhush.readers["other-officer"]).get("/activities/new/")
    assert response.status_code == 200
    assert PROGRAMME not in response.content.decode()
    response = client_for(hushhush.readers["own-officer"]).get("/activities/new/")
    assert PROGRAMME in response.content.decode()
