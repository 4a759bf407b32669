"""The seed data: concrete facts of the five source documents, their citations, and a
loader that creates what is missing and changes nothing the second time."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from activities.choices import ActivityKind, ActivityStatus
from activities.models import Activity
from cities.choices import AlternativeNameKind
from cities.models import City
from core.dates import DatePrecision
from imports.seed.read import SEEDS_DIR, normalize_space
from programmes.choices import (
    MemberType,
    PairingKind,
    PairingStatus,
    ParticipantRole,
    ProgrammeRole,
    StreamMemberRole,
)
from programmes.models import (
    Membership,
    Network,
    Pairing,
    Programme,
    ThematicStream,
)
from sources.models import Citation, Source

CITED_MODELS = [City, Network, Membership, Programme, ThematicStream, Pairing, Activity]
CITYNET_REPORT = "citynet-annual-report-2023"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the seed once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_db(seeded, db):
    """Give every test the seeded database; its own changes are rolled back after it."""


def participants(pairing: Pairing) -> dict[str, str]:
    return {p.city.name: p.role for p in pairing.participants.select_related("city")}


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# --------------------------------------------------------------------------- citations


def test_every_record_has_a_citation():
    for model in CITED_MODELS:
        uncited = model.objects.filter(citations__isnull=True)
        assert not uncited.exists(), f"{model.__name__} without citation: {list(uncited[:5])}"


def test_every_quote_is_verbatim_in_its_seed_file():
    texts = {
        source.pk: normalize_space((SEEDS_DIR / source.seed_file).read_text(encoding="utf-8"))
        for source in Source.objects.all()
    }
    assert len(texts) == 5
    missing = [
        citation.quote
        for citation in Citation.objects.all()
        if normalize_space(citation.quote) not in texts[citation.source_id]
    ]
    assert missing == []
    assert Citation.objects.count() > 700


def test_citations_say_where_the_quote_is():
    citation = Citation.objects.get(quote="Online coordination meetings (March–April 2026)")
    assert citation.locator == "line 30"
    assert citation.source.seed_file == "000_36ba59472e02dc02.txt"


def test_ocr_errors_are_kept_in_quotes():
    assert Citation.objects.filter(quote__contains="Hue·lloilo·Iriga").exists()
    assert Citation.objects.filter(quote__contains="Ilollo City").exists()


# --------------------------------------------------------------------------- Urban-Act


def test_urban_act_programme_is_led_by_uclg_aspac_with_giz():
    programme = Programme.objects.get(slug="urban-act-city-pairing")
    roles = {(r.network.slug, r.role) for r in programme.programme_networks.all()}
    assert roles == {("uclg-aspac", ProgrammeRole.LEAD), ("giz", ProgrammeRole.PARTNER)}
    assert list(programme.streams.values_list("name", flat=True)) == [
        "Nature-based Solutions (NbS) for Urban Flood Management",
        "Waste Management and Circular Economy",
        "Sustainable Urban Mobility",
    ]


def test_waste_stream_cities_and_potential_partners_with_roles():
    stream = ThematicStream.objects.get(slug="urban-act-waste-circular-economy")
    pairing = stream.pairings.get()
    assert participants(pairing) == {
        "Khon Kaen": ParticipantRole.PILOT,
        "Hat Yai": ParticipantRole.PARTICIPANT,
        "Nakhon Si Thammarat": ParticipantRole.PARTICIPANT,
        "Phitsanulok": ParticipantRole.POTENTIAL_PARTNER,
        "Malang": ParticipantRole.POTENTIAL_PARTNER,
        "Shizuoka": ParticipantRole.POTENTIAL_PARTNER,
        "Jeju": ParticipantRole.POTENTIAL_PARTNER,
    }
    assert pairing.status == PairingStatus.PROPOSED
    assert set(stream.members.values_list("city__name", flat=True)) == {
        "Khon Kaen",
        "Hat Yai",
        "Nakhon Si Thammarat",
    }


def test_waste_stream_priorities_in_order():
    stream = ThematicStream.objects.get(slug="urban-act-waste-circular-economy")
    assert list(stream.priorities.values_list("text", flat=True)) == [
        "Reducing food and organic waste",
        "Lowering greenhouse gas emissions",
        "Strengthening community engagement",
        "Developing sustainable business and financing models",
    ]


def test_waste_stream_activities_dates_and_precision():
    stream = ThematicStream.objects.get(slug="urban-act-waste-circular-economy")
    activities = [
        (a.kind, a.start_date, a.end_date, a.date_precision, a.status, a.location)
        for a in stream.activities.order_by("start_date")
    ]
    month = DatePrecision.MONTH
    assert activities == [
        (ActivityKind.ONLINE_CONSULTATION, day("2026-03-01"), day("2026-04-30"), month,
         ActivityStatus.PLANNED, "Online"),
        (ActivityKind.STUDY_VISIT, day("2026-05-01"), day("2026-05-31"), month,
         ActivityStatus.PLANNED, ""),
        (ActivityKind.TRAINING, day("2026-07-01"), day("2026-07-31"), month,
         ActivityStatus.PLANNED, "Thailand"),
    ]  # fmt: skip
    assert stream.activities.first().period_display == "Mar–Apr 2026"
    assert all(a.pairing.stream_id == stream.pk for a in stream.activities.all())


def test_nbs_stream_has_wichit_and_partners_penang_seoul_chiang_rai():
    pairing = Pairing.objects.get(stream__slug="urban-act-nbs-flood-management")
    assert participants(pairing) == {
        "Khon Kaen": ParticipantRole.PILOT,
        "Wichit": ParticipantRole.PILOT,
        "Hat Yai": ParticipantRole.PARTICIPANT,
        "Penang": ParticipantRole.POTENTIAL_PARTNER,
        "Seoul": ParticipantRole.POTENTIAL_PARTNER,
        "Chiang Rai": ParticipantRole.POTENTIAL_PARTNER,
    }
    kinds = list(pairing.activities.order_by("start_date").values_list("kind", flat=True))
    assert kinds == [
        ActivityKind.ONLINE_CONSULTATION,
        ActivityKind.STUDY_VISIT,
        ActivityKind.TRAINING,
        ActivityKind.PLAN_INTEGRATION,
    ]


def test_mobility_stream_partners_and_shenzhen_exchange():
    pairing = Pairing.objects.get(stream__slug="urban-act-sustainable-mobility")
    assert participants(pairing) == {
        "Chiang Mai": ParticipantRole.PILOT,
        **dict.fromkeys(
            ["Jakarta", "Surakarta", "Bacolod", "Malacca", "Shenzhen"],
            ParticipantRole.POTENTIAL_PARTNER,
        ),
    }
    exchange = pairing.activities.get(location_city__name="Shenzhen")
    assert (exchange.start_date, exchange.date_precision) == (day("2026-06-01"), "month")


def test_planning_workshop_in_bangkok_on_29_and_30_january_2026():
    workshop = Activity.objects.get(title="City Pairing Planning Workshop")
    assert (workshop.start_date, workshop.end_date) == (day("2026-01-29"), day("2026-01-30"))
    assert workshop.date_precision == DatePrecision.DAY
    assert workshop.status == ActivityStatus.HELD
    assert workshop.location_city.name == "Bangkok"
    assert set(workshop.organisers.values_list("slug", flat=True)) == {"uclg-aspac", "giz"}
    assert set(workshop.cities.values_list("name", flat=True)) == {
        "Chiang Mai",
        "Khon Kaen",
        "Wichit",
        "Hat Yai",
        "Nakhon Si Thammarat",
    }


def test_wichit_is_one_city_found_as_vichit():
    wichit = City.objects.get(name="Wichit")
    assert wichit.country.code == "TH"
    assert wichit.admin_area == "Phuket Province"
    names = set(wichit.alternative_names.values_list("name", flat=True))
    assert {"Vichit", "Vichit-Phuket", "Wichit District"} <= names
    assert list(City.objects.search("Vichit")) == [wichit]
    assert not City.objects.filter(name__icontains="Vichit").exists()


def test_iloilo_is_one_city_with_its_ocr_slips():
    iloilo = City.objects.get(name="Iloilo")
    kinds = dict(iloilo.alternative_names.values_list("name", "kind"))
    assert kinds["lloilo"] == AlternativeNameKind.SOURCE_ERROR
    assert kinds["Ilollo City"] == AlternativeNameKind.SOURCE_ERROR
    assert iloilo in City.objects.search("lloilo")
    assert City.objects.filter(name__iregex=r"^i?l+oilo").count() == 1
    # Named by the CityNet report and the ICLEI article: one record, cited by both.
    assert set(iloilo.citations.values_list("source__slug", flat=True)) == {
        CITYNET_REPORT,
        "iclei-kaohsiung-comp-2025",
    }


# --------------------------------------------------------------------------- CityNet


def citynet_members(member_type, regional_group):
    return Membership.objects.filter(
        network__slug="citynet", member_type=member_type, regional_group=regional_group
    )


@pytest.mark.parametrize(
    ("member_type", "regional_group", "count"),
    [
        (MemberType.FULL, "East & Northeast Asia", 23),
        (MemberType.FULL, "South & Southwest Asia", 30),
        (MemberType.FULL, "Southeast Asia", 52),
        (MemberType.ASSOCIATE, "East & Northeast Asia", 18),
        (MemberType.ASSOCIATE, "South & Southwest Asia", 21),
        (MemberType.ASSOCIATE, "Southeast Asia", 12),
        (MemberType.ASSOCIATE, "", 2),
        (MemberType.CORPORATE, "", 0),
    ],
)
def test_citynet_members_per_type_and_region(member_type, regional_group, count):
    assert citynet_members(member_type, regional_group).count() == count


def test_citynet_member_lists_add_up_to_what_the_report_lists():
    members = Membership.objects.filter(network__slug="citynet")
    assert members.filter(member_type=MemberType.FULL).count() == 105  # the report says 106
    assert members.filter(member_type=MemberType.ASSOCIATE).count() == 53
    assert members.filter(member_type=MemberType.CORPORATE).count() == 0  # not named


def test_citynet_stated_totals_are_recorded():
    citynet = Network.objects.get(slug="citynet")
    assert citynet.citations.filter(
        quote="162 MEMBERS 106 FULL MEMBERS | 53 ASSOCIATE MEMBERS | 3 CORPORATE MEMBERS"
    ).exists()
    assert "162 members, 106 full, 53 associate and 3 corporate" in citynet.description


def test_citynet_members_concrete():
    full_se = citynet_members(MemberType.FULL, "Southeast Asia")
    assert full_se.filter(city__name="Makati").exists()
    assert full_se.filter(city__name="Iloilo").exists()
    cda = Membership.objects.get(network__slug="citynet", member_network__slug="cda")
    assert (cda.member_type, cda.regional_group) == (MemberType.FULL, "South & Southwest Asia")
    assert cda.member_network.city.name == "Islamabad"
    rajuk = Membership.objects.get(network__slug="citynet", member_network__slug="rajuk")
    assert rajuk.member_type == MemberType.ASSOCIATE
    archicity = Network.objects.get(slug="archicity")
    assert archicity.network_memberships.get().regional_group == "East & Northeast Asia"


def test_new_members_of_2023():
    new = Membership.objects.filter(network__slug="citynet", joined_on=day("2023-10-23"))
    assert new.count() == 7
    assert set(new.filter(member_type=MemberType.FULL).values_list("city__name", flat=True)) == {
        "Roxas City",
        "Tacurong",
        "Dongdaemun-gu",
        "Tilottama",
    }
    associates = new.filter(member_type=MemberType.ASSOCIATE)
    assert set(associates.values_list("member_network__slug", flat=True)) == {
        "archicity",
        "unification-nepal",
        "depo",
    }
    assert {m.joined_precision for m in new} == {DatePrecision.DAY}


def test_clusters_with_leads_and_co_leads():
    def roles(slug):
        stream = ThematicStream.objects.get(slug=slug, programme__slug="citynet-clusters")
        return {
            (m.city.name if m.city else m.network.slug, m.role)
            for m in stream.members.select_related("city", "network")
        }

    lead, co = StreamMemberRole.LEAD, StreamMemberRole.CO_LEAD
    assert roles("citynet-climate-change") == {
        ("Jakarta", lead),
        ("Quezon City", co),
        ("asag", co),
        ("help-o", co),
        ("icdi", co),
    }
    assert roles("citynet-disaster") == {
        ("Makati", lead),
        *[(name, co) for name in ["Colombo", "Matsuyama", "Quezon City", "Taoyuan"]],
        *[(slug, co) for slug in ["asag", "nset", "plus-arts"]],
    }
    assert roles("citynet-sdgs") == {
        ("Kuala Lumpur", lead),
        ("Seoul", lead),
        ("Yokohama", lead),
        ("aiilsg", co),
        ("help-o", co),
    }


def test_national_chapters_belong_to_citynet():
    chapters = Network.objects.filter(kind="national_chapter")
    assert {c.parent.slug for c in chapters} == {"citynet"}
    assert chapters.count() == 5  # the report says six and names five


def test_dengue_consultation_lalitpur_with_makati_and_colombo():
    pairing = Pairing.objects.get(programme__slug="citynet-services", kind=PairingKind.CONSULTATION)
    assert participants(pairing) == {
        "Lalitpur": ParticipantRole.LEARNER,
        "Makati": ParticipantRole.MENTOR,
        "Colombo": ParticipantRole.MENTOR,
    }
    assert pairing.status == PairingStatus.COMPLETED
    assert [s.status for s in pairing.status_changes.all()] == ["active", "completed"]
    sessions = pairing.activities.get()
    assert (sessions.start_date, sessions.end_date) == (day("2023-02-01"), day("2023-03-31"))
    assert sessions.date_precision == DatePrecision.MONTH


def test_icp_agir_pairs_are_completed():
    programme = Programme.objects.get(acronym="ICP-AGIR")
    pairs = {
        frozenset(p.cities.values_list("name", flat=True)): p.status
        for p in programme.pairings.all()
    }
    assert pairs == {
        frozenset(pair): PairingStatus.COMPLETED
        for pair in [
            ("Incheon", "Berlin"),
            ("Incheon", "Almeria"),
            ("Gwangju", "Athens"),
            ("Taoyuan", "Braga"),
            ("Taichung", "Prato"),
            ("Singapore", "Milan"),
        ]
    }
    roles = {(r.network.slug, r.role) for r in programme.programme_networks.all()}
    assert roles == {("eu", ProgrammeRole.FUNDER), ("citynet", ProgrammeRole.IMPLEMENTER)}
    visits = Activity.objects.filter(pairing__title="Taichung – Prato")
    assert set(visits.values_list("location_city__name", flat=True)) == {"Taichung", "Prato"}


def test_iurc_seoul_dublin_is_agreed_by_letter_of_intent():
    pairing = Pairing.objects.get(programme__acronym="IURC")
    assert set(pairing.cities.values_list("name", flat=True)) == {"Seoul", "Dublin"}
    assert pairing.status == PairingStatus.AGREED
    loi = pairing.activities.get(kind=ActivityKind.AGREEMENT)
    assert loi.location == "Lord Mayor's Mansion"


def test_excom_and_sdg_awards_dates():
    excom = Activity.objects.get(title="43rd CityNet Executive Committee Meeting")
    assert (excom.start_date, excom.date_precision) == (day("2023-10-23"), DatePrecision.DAY)
    assert excom.citations.count() == 4  # both sections of the report, merged
    awards = Activity.objects.get(title="2nd CityNet-ESCAP SDG City Awards Ceremony")
    assert awards.start_date == day("2023-10-25")
    assert set(awards.cities.values_list("name", flat=True)) == {
        "Suwon",
        "Colombo",
        "Muntinlupa",
        "Songpa-gu",
        "Yokohama",
    }
    benchmarking = Activity.objects.get(title__startswith="City Benchmarking")
    assert (benchmarking.start_date, benchmarking.end_date) == (
        day("2023-05-23"),
        day("2023-05-25"),
    )


def test_undated_report_activities_are_2023_at_year_precision():
    report = Activity.objects.filter(citations__source__slug=CITYNET_REPORT).distinct()
    assert report.count() == 43
    for activity in report.filter(date_precision=DatePrecision.YEAR):
        assert activity.start_date.year in (2022, 2023), activity


# --------------------------------------------------------------------------- IUC, ComP, ISAP


def test_iuc_asia_components_and_news():
    programme = Programme.objects.get(acronym="IUC Asia")
    assert programme.streams.count() == 2
    visit = Activity.objects.get(title="Visit of an official delegation from Chongqing to Mannheim")
    assert (visit.start_date, visit.date_precision) == (day("2018-07-09"), DatePrecision.DAY)
    assert set(visit.pairing.cities.values_list("name", flat=True)) == {"Chongqing", "Mannheim"}
    assert visit.pairing.status == PairingStatus.ACTIVE
    brussels = Activity.objects.get(title="EU Cities Preparatory Meeting in Brussels")
    assert brussels.start_date == day("2018-06-07")
    beijing = Activity.objects.get(title="2018 Chinese Pilot Cities Start-up Workshop")
    assert (beijing.location_city.name, beijing.date_precision) == ("Beijing", DatePrecision.YEAR)
    assert City.objects.get(name="Haikou").stream_roles.get().stream.programme == programme


def test_kaohsiung_comp_launch_and_members():
    pairing = Pairing.objects.get(kind=PairingKind.COMMUNITY_OF_PRACTICE)
    assert participants(pairing) == {
        "Kaohsiung": ParticipantRole.CHAIR,
        **dict.fromkeys(
            ["Yokohama", "Kyoto", "Batangas", "Iloilo", "Newcastle"], ParticipantRole.PARTICIPANT
        ),
        "Goyang": ParticipantRole.POTENTIAL_PARTNER,
    }
    launch = pairing.activities.get()
    assert (launch.start_date, launch.end_date) == (day("2025-03-18"), day("2025-03-19"))
    assert launch.date_precision == DatePrecision.DAY
    assert launch.location_city.name == "Kaohsiung"
    programme = pairing.programme
    assert (programme.start_date, programme.end_date) == (day("2025-01-01"), day("2026-12-31"))
    assert programme.programme_networks.get().network.slug == "iclei"


def test_isap_session_organisations():
    jica = Network.objects.get(acronym="JICA")
    assert jica.name == "Japan International Cooperation Agency"
    secretariat = Network.objects.get(slug="urban-environmental-accords-secretariat")
    assert secretariat.city.name == "Gwangju"
    session = Activity.objects.get(title__startswith="Session D3")
    assert (session.start_date.year, session.date_precision) == (2015, DatePrecision.YEAR)
    assert session.status == ActivityStatus.CONFIRMED


# --------------------------------------------------------------------------- cities


def test_gazetteer_data_for_matched_cities():
    bangkok = City.objects.get(name="Bangkok")
    assert bangkok.geonames_id == 1609350
    assert bangkok.population > 1_000_000
    assert bangkok.has_coordinates
    assert not City.objects.get(name="Dobong-gu").has_coordinates


def test_every_city_has_a_country_and_a_unique_name():
    assert not City.objects.filter(country="").exists()
    names = list(City.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 143


# --------------------------------------------------------------------------- loading


def snapshot() -> dict:
    """Return every seeded row's modified time, and the number of rows of other tables."""
    from cities.models import CityAlternativeName
    from programmes.models import (
        PairingParticipant,
        PairingStatusChange,
        ProgrammeNetwork,
        StreamMember,
        StreamPriority,
    )

    stamped = [*CITED_MODELS, Source, Citation]
    plain = [
        CityAlternativeName,
        PairingParticipant,
        PairingStatusChange,
        ProgrammeNetwork,
        StreamMember,
        StreamPriority,
        Activity.cities.through,
        Activity.organisers.through,
    ]
    state = {m.__name__: dict(m.objects.values_list("pk", "modified")) for m in stamped}
    state.update({m.__name__: m.objects.count() for m in plain})
    return state


def test_loading_twice_changes_nothing():
    before = snapshot()
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert snapshot() == before
    assert "Seed data: up to date." in out.getvalue()


def test_loading_keeps_what_an_officer_edited():
    bangkok = City.objects.get(slug="bangkok")
    bangkok.population = 1
    bangkok.save()
    call_command("load_seed", stdout=io.StringIO())
    bangkok.refresh_from_db()
    assert bangkok.population == 1


def test_update_overwrites_from_the_fixtures():
    City.objects.filter(slug="bangkok").update(population=1)
    call_command("load_seed", "--update", stdout=io.StringIO())
    assert City.objects.get(slug="bangkok").population == 5104476


def test_loading_recreates_a_deleted_record():
    Activity.objects.filter(title="Study visits: NbS for urban flood management").delete()
    call_command("load_seed", stdout=io.StringIO())
    visit = Activity.objects.get(title="Study visits: NbS for urban flood management")
    assert visit.citations.get().quote == "Study visits (May 2026)"


def test_an_edited_activity_is_still_recognised_by_its_quote():
    activity = Activity.objects.get(title="Study visits: NbS for urban flood management")
    activity.title = "Study visits to Penang"
    activity.save()
    count = Activity.objects.count()
    call_command("load_seed", stdout=io.StringIO())
    assert Activity.objects.count() == count
