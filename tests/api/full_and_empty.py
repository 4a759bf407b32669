"""Pairings and activities with every optional field filled, and again with each empty.

For the tests that compare another way of building the API's JSON (the lean read path,
the benchmark's raw peer) with the serializers': whatever one leaves out or spells
differently shows in one of these records. Also a record the anonymous reader may not
see of each kind, which must never appear.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType

from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import PairingParticipant, PairingStatusChange
from sources.models import Citation
from tests import factories
from themes.models import Theme
from themes.vocabulary import load_vocabulary

MONTH = "2026-03"


def cite(record, count: int) -> None:
    content_type = ContentType.objects.get_for_model(record)
    for n in range(count):
        Citation.objects.create(
            source=factories.SourceFactory(),
            content_type=content_type,
            object_id=record.pk,
            quote=f"Quoted passage {n} about {record}.",
            locator=f"p. {n + 3}" if n else "",
        )


def build() -> SimpleNamespace:
    """Create the records; return them by name."""
    r = SimpleNamespace()
    r.network = factories.NetworkFactory(name="CityNet", acronym="CN")
    r.bare_network = factories.NetworkFactory(name="Another network", acronym="")
    r.bangkok = factories.CityFactory(name="Bangkok", country="TH")
    r.iloilo = factories.CityFactory(name="Iloilo", country="PH")
    r.prato = factories.CityFactory(name="Prato", country="IT")
    r.nowhere = factories.CityFactory(name="Unmapped", country="ID", latitude=None, longitude=None)
    r.programme = factories.ProgrammeFactory(name="Urban-Act")
    r.hidden_programme = factories.ProgrammeFactory(name="Draft programme", is_published=False)
    r.stream = factories.ThematicStreamFactory(programme=r.programme, name="Flood management")
    r.full_pairing = factories.PairingFactory(
        programme=r.programme,
        stream=r.stream,
        title="Bangkok – Iloilo – Prato",
        kind="city_to_city",
        status=PairingStatus.ACTIVE,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2026, 11, 30),
        date_precision="month",
        description="Flood warning systems, shared.",
        is_verified=True,
        cities=[],
    )
    PairingParticipant.objects.create(
        pairing=r.full_pairing, city=r.bangkok, role=ParticipantRole.PILOT, note="Lead city"
    )
    PairingParticipant.objects.create(pairing=r.full_pairing, city=r.iloilo)
    PairingParticipant.objects.create(pairing=r.full_pairing, city=r.prato, note="Observer")
    for status, day in ((PairingStatus.PROPOSED, 1), (PairingStatus.ACTIVE, 20)):
        PairingStatusChange.objects.create(
            pairing=r.full_pairing,
            status=status,
            changed_on=datetime.date(2024, 2, day),
            note="Agreed at the forum" if day == 1 else "",
        )
    cite(r.full_pairing, 2)
    load_vocabulary()  # a live-server test before may have flushed the migration's
    r.themes = list(Theme.objects.filter(slug__in=["waste-circular-economy", "flood-management"]))
    r.full_pairing.themes.set(r.themes)
    r.empty_pairing = factories.PairingFactory(
        programme=r.programme,
        title="Iloilo – Unmapped",
        start_date=None,
        end_date=None,
        date_precision="year",
        cities=[r.iloilo, r.nowhere],
    )
    r.day_pairing = factories.PairingFactory(
        programme=r.programme,
        title="A pairing of days",
        start_date=datetime.date(2025, 1, 29),
        end_date=datetime.date(2025, 2, 3),
        date_precision="day",
    )
    r.hidden_pairing = factories.PairingFactory(programme=r.programme, is_published=False)
    r.pairing_of_hidden_programme = factories.PairingFactory(programme=r.hidden_programme)

    r.full_activity = factories.ActivityFactory(
        title="Study visit to Iloilo",
        programme=r.programme,
        stream=r.stream,
        pairing=r.full_pairing,
        kind="study_visit",
        status="confirmed",
        location_city=r.iloilo,
        location="City hall",
        start_date=datetime.date(2026, 3, 10),
        end_date=datetime.date(2026, 3, 12),
        description="Three days of visits.",
        outcomes="A joint plan.",
        cost_estimate=Decimal("12500.50"),
        cost_currency="EUR",
    )
    r.full_activity.cities.set([r.bangkok, r.iloilo, r.nowhere])
    r.full_activity.organisers.set([r.network, r.bare_network])
    r.full_activity.themes.set(r.themes)
    cite(r.full_activity, 2)
    r.empty_activity = factories.ActivityFactory(
        title="Call between the cities",
        programme=None,
        start_date=datetime.date(2026, 2, 27),
        end_date=datetime.date(2026, 3, 2),
    )
    r.month_activity = factories.ActivityFactory(
        title="Training month",
        programme=r.programme,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 31),
        date_precision="month",
    )
    r.year_activity = factories.ActivityFactory(
        title="A year of exchanges",
        programme=r.programme,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        date_precision="year",
    )
    r.hidden_activity = factories.ActivityFactory(
        title="Unpublished",
        programme=r.programme,
        start_date=datetime.date(2026, 3, 5),
        end_date=datetime.date(2026, 3, 5),
        is_published=False,
    )
    r.activity_of_hidden_programme = factories.ActivityFactory(
        title="Of a draft programme",
        programme=r.hidden_programme,
        start_date=datetime.date(2026, 3, 6),
        end_date=datetime.date(2026, 3, 6),
    )
    return r


def build_every_resource() -> SimpleNamespace:
    """``build()``, and every other resource of the API with each optional field filled
    and empty: memberships, a programme's networks, a stream's priorities, members and
    themes, cities' other names (one local), sources (a programme's unpublished one
    cited beside published ones), people and their roles."""
    from cities.models import CityAlternativeName
    from contacts.models import ContactRole, Person
    from partners.models import PartnerRequest
    from programmes.choices import ProgrammeRole
    from programmes.models import StreamMember

    r = build()
    r.programme.acronym, r.programme.website = "UA", "https://urban-act.example.org"
    r.programme.description = "Pairings on climate action."
    r.programme.start_date, r.programme.end_date = datetime.date(2023, 1, 1), None
    r.programme.save()
    factories.ProgrammeNetworkFactory(
        programme=r.programme, network=r.network, role=ProgrammeRole.LEAD
    )
    factories.ProgrammeNetworkFactory(programme=r.programme, network=r.bare_network)
    r.empty_programme = factories.ProgrammeFactory(name="Bare programme")
    r.network.parent, r.network.city = r.bare_network, r.bangkok
    r.network.website, r.network.description = "https://citynet.example.org", "A network."
    r.network.save()
    r.full_membership = factories.MembershipFactory(
        network=r.network,
        city=r.bangkok,
        regional_group="South-East Asia",
        joined_on=datetime.date(1998, 5, 1),
        joined_precision="month",
    )
    r.network_membership = factories.MembershipFactory(
        network=r.network, city=None, member_network=r.bare_network, member_type="partner"
    )
    r.stream.description = "Nature-based flood management."
    r.stream.save()
    r.stream.themes.set(r.themes)
    factories.StreamPriorityFactory(stream=r.stream, text="Retention ponds")
    StreamMember.objects.create(stream=r.stream, city=r.bangkok, role="lead")
    StreamMember.objects.create(stream=r.stream, network=r.network, role="member")
    r.empty_stream = factories.ThematicStreamFactory(programme=r.programme, name="Bare stream")
    CityAlternativeName.objects.create(
        city=r.bangkok, name="กรุงเทพมหานคร", kind="local", language="th", is_local=True
    )
    CityAlternativeName.objects.create(city=r.bangkok, name="Krung Thep", kind="spelling")
    CityAlternativeName.objects.create(city=r.iloilo, name="Ilo-ilo", kind="spelling")
    r.bangkok.admin_area, r.bangkok.population, r.bangkok.geonames_id = "Bangkok", 5_000_000, 1
    r.bangkok.description = "The capital."
    r.bangkok.save()
    r.full_source = factories.SourceFactory(
        title="Urban-Act report",
        kind="report",
        publisher="UCLG ASPAC",
        published_on=datetime.date(2024, 6, 1),
        published_precision="month",
        url="https://example.org/report.pdf",
        attribution="© UCLG ASPAC",
        is_verified=True,
        notes="Read in full.",
        programme=r.programme,
        is_published=True,
    )
    r.full_source.themes.set(r.themes)
    # A programme's document not yet published: its officers see it and its citations.
    r.unpublished_source = factories.SourceFactory(
        title="Draft minutes", programme=r.programme, is_published=False
    )
    for record in (r.full_pairing, r.full_activity, r.bangkok, r.network, r.stream, r.programme):
        content_type = ContentType.objects.get_for_model(record)
        for source in (r.full_source, r.unpublished_source):
            Citation.objects.create(
                source=source,
                content_type=content_type,
                object_id=record.pk,
                quote=f"From {source.title} about {record}.",
            )
    for record in (r.full_membership,):
        cite(record, 1)
    r.full_person = Person.objects.create(
        name="Wanphen Srisuk",
        title="Director of planning",
        organisation_city=r.bangkok,
        email="wanphen@example.org",
        phone="+66 2 000 0000",
        languages="th, en",
    )
    r.network_person = Person.objects.create(name="Network staff", organisation_network=r.network)
    r.empty_person = Person.objects.create(name="Someone")
    r.roles = [
        ContactRole.objects.create(
            person=r.full_person,
            role="focal_point",
            pairing=r.full_pairing,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        ),
        ContactRole.objects.create(person=r.full_person, role="technical_lead", city=r.bangkok),
        ContactRole.objects.create(person=r.network_person, role="secretariat", network=r.network),
        ContactRole.objects.create(person=r.empty_person, programme=r.programme),
        ContactRole.objects.create(person=r.empty_person, stream=r.stream),
        # Of records the anonymous reader may not see.
        ContactRole.objects.create(person=r.empty_person, pairing=r.hidden_pairing),
        ContactRole.objects.create(person=r.empty_person, programme=r.hidden_programme),
    ]
    r.full_request = PartnerRequest.objects.create(
        city=r.bangkok,
        programme=r.programme,
        stream=r.stream,
        theme="Flood retention",
        preferred_countries=["PH", "IT"],
        partner_kind="mentor",
        deadline=datetime.date(2027, 3, 31),
        description="Sponge-city parks.",
        status="paired",
        pairing=r.full_pairing,
    )
    r.full_request.themes.set(r.themes)
    r.empty_request = PartnerRequest.objects.create(city=r.iloilo, theme="Waste sorting")
    # Became a pairing the anonymous reader may not see: null to them.
    r.hidden_request = PartnerRequest.objects.create(
        city=r.prato, theme="Textile recycling", status="paired", pairing=r.hidden_pairing
    )
    return r
