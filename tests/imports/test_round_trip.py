"""Round trip: a filtered list exported from the pages and imported unchanged changes nothing."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from imports.views import FORMATS, KINDS
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Membership
from programmes.services import ParticipantSpec, pairing_create
from tests.factories import (
    ActivityFactory,
    CityAlternativeNameFactory,
    CityFactory,
    NetworkFactory,
    ProgrammeFactory,
    ThematicStreamFactory,
)
from tests.imports.helpers import statuses


@pytest.fixture
def registry(db):
    """A small registry with every kind of record and relation the files carry."""
    bacolod = CityFactory(
        name="Bacolod", slug="bacolod", country="PH", population=600_000, admin_area="Negros"
    )
    CityAlternativeNameFactory(city=bacolod, name="Bacólod", kind="spelling")
    CityAlternativeNameFactory(city=bacolod, name="Bacolodd", kind="source_error")
    iloilo = CityFactory(name="Iloilo City", slug="iloilo", country="PH", geonames_id=1711005)
    hue = CityFactory(name="Huế", slug="hue", country="VN", description="Line one\nline two")
    CityFactory(name="Prato", slug="prato", country="IT")
    citynet = NetworkFactory(name="CityNet", slug="citynet", acronym="CityNet", city=bacolod)
    NetworkFactory(name="CityNet SEA", slug="citynet-sea", parent=citynet)
    Membership.objects.create(
        network=citynet,
        city=bacolod,
        regional_group="Southeast Asia",
        joined_on=datetime.date(2010, 1, 1),
    )
    Membership.objects.create(network=citynet, city=hue, member_type="associate")
    programme = ProgrammeFactory(slug="urban-act")
    stream = ThematicStreamFactory(programme=programme, slug="nbs")
    pairing = pairing_create(
        programme=programme,
        stream=stream,
        participants=[
            ParticipantSpec(bacolod.pk, ParticipantRole.PILOT),
            ParticipantSpec(iloilo.pk, ParticipantRole.PARTNER),
        ],
        status=PairingStatus.AGREED,
        start_date=datetime.date(2026, 3, 1),
        description="Flood management, “quoted”; with a semicolon",
    )
    pairing_create(
        programme=programme,
        participants=[ParticipantSpec(bacolod.pk), ParticipantSpec(hue.pk)],
    )
    activity = ActivityFactory(
        programme=programme,
        stream=stream,
        pairing=pairing,
        title="Online consultation",
        location_city=iloilo,
        cost_estimate=Decimal("1200.50"),
        cost_currency="EUR",
        date_precision="month",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
    )
    activity.cities.set([bacolod, iloilo])
    activity.organisers.set([citynet])
    ActivityFactory(programme=programme, title="Kick-off", start_date=datetime.date(2026, 1, 15))
    # Cells a spreadsheet would run as formulas, next to numbers that only look like them.
    CityFactory(
        name="Surigao",
        slug="surigao",
        country="PH",
        admin_area="@Mindanao",
        description=HOSTILE_TITLE,
        latitude=Decimal("-6.2"),
        longitude=Decimal("-122.5"),
    )
    for title in (HOSTILE_TITLE, "-minus first", "'=quoted by its author", "+63 2 8888 0000"):
        ActivityFactory(programme=programme, title=title, start_date=datetime.date(2026, 2, 1))
    return programme


HOSTILE_TITLE = '=HYPERLINK("http://evil.example","x")'


FILTERS = {
    "cities": "country=PH&country=VN",
    "networks": "",
    "memberships": "network=citynet",
    "pairings": "programme=urban-act",
    "activities": "programme=urban-act",
}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_exported_filtered_list_imports_with_zero_changes(client, registry, kind, fmt):
    url = reverse("imports:export", kwargs={"kind": kind, "fmt": fmt})
    response = client.get(f"{url}?{FILTERS[kind]}")
    assert response.status_code == 200
    file_format = FORMATS[fmt][0]()
    content = response.content if file_format.is_binary() else response.content.decode()
    data = file_format.create_dataset(content)
    assert len(data) >= 2

    result = KINDS[kind].resource_class().import_data(data, dry_run=True, use_transactions=True)

    assert set(statuses(result)) == {"unchanged"}, [
        (row.import_type, row.validation_error) for row in result.rows
    ]


def test_export_applies_the_list_filters(client, registry):
    url = reverse("imports:export", kwargs={"kind": "cities", "fmt": "csv"})
    content = client.get(f"{url}?country=VN").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["slug", "name", "country"]
    assert [row[0] for row in rows[1:]] == ["hue"]


def test_export_has_the_columns_the_import_reads(client, registry):
    for kind in KINDS.values():
        resource = kind.resource_class()
        exported = [f.column_name for f in resource.get_export_fields()]
        imported = [f.column_name for f in resource.get_import_fields()]
        assert exported == imported == kind.columns()


def test_unpublished_pairings_are_not_exported_to_anonymous_readers(client, registry):
    registry.pairings.update(is_published=False)
    url = reverse("imports:export", kwargs={"kind": "pairings", "fmt": "csv"})
    assert len(client.get(url).content.decode().splitlines()) == 1
