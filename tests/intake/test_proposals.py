"""Proposals from documents, read against the real registry (PostgreSQL)."""

import datetime

import pytest

from core.dates import DatePrecision
from intake.evaluate import evaluate
from intake.proposals import propose
from intake.registry import Registry
from programmes.choices import ParticipantRole
from sources.extract import Locator, extract_text
from tests import factories

pytestmark = pytest.mark.django_db

NEWS = (
    "IUC Asia News\n\n"
    "A high-level delegation from Chongqing visited the City of Mannheim on 9 July 2018. "
    "The delegation, headed by the Director General of the Chongqing Development and Reform "
    "Commission (DRC) Mr XIONG Xue, discussed two pilot projects.\n"
)


def test_news_item_gives_cities_activity_and_pairing_with_quotes_and_locators():
    proposals = propose(extract_text(NEWS), Registry.from_database())
    assert {c.city.name for c in proposals.cities} == {"Chongqing", "Mannheim"}
    (activity,) = proposals.activities
    assert (activity.start_date, activity.end_date, activity.date_precision) == (
        datetime.date(2018, 7, 9),
        datetime.date(2018, 7, 9),
        DatePrecision.DAY,
    )
    assert not activity.inferred_year
    assert activity.quote in NEWS
    assert activity.locator == Locator(page=1, line=3)
    (pairing,) = proposals.pairings
    roles = {p.city.name: p.role_text for p in pairing.participants}
    assert roles == {"Chongqing": "visiting delegation", "Mannheim": "host"}
    assert {p.role for p in pairing.participants} == {
        ParticipantRole.PARTICIPANT,
        ParticipantRole.PILOT,
    }
    assert any(n.acronym == "DRC" for n in proposals.networks)


def test_city_known_by_an_alternative_name_and_an_ocr_slip_points_at_the_record():
    iloilo = factories.CityFactory(name="Iloilo", country="PH", population=473728)
    factories.CityAlternativeNameFactory(city=iloilo, name="Iloilo City")
    text = "Members: Hue·lloilo·Iriga. The Awards will be held in Iloilo City, Philippines."
    proposals = propose(extract_text(text), Registry.from_database())
    (proposal,) = [c for c in proposals.cities if c.city and c.city.name == "Iloilo"]
    assert proposal.existing == iloilo.pk


def test_ocr_slip_is_read_as_the_gazetteer_place():
    proposals = propose(extract_text("Members: Hue · lloilo · Iriga · Jakarta"), Registry())
    assert any(c.name == "lloilo" and c.city.name == "Iloilo" for c in proposals.cities)


def test_a_name_that_fits_two_cities_is_a_choice_not_a_guess():
    first = factories.CityFactory(name="Naga", country="PH", population=174931)
    second = factories.CityFactory(name="Naga", slug="naga-cebu", country="PH", population=138727)
    text = "The delegation from Naga visited the City of Makati on 3 May 2024."
    proposals = propose(extract_text(text), Registry.from_database())
    (naga,) = [c for c in proposals.cities if c.name == "Naga"]
    assert naga.city is None
    assert {c.city_id for c in naga.choices} == {first.pk, second.pk}
    assert naga.existing is None


def test_known_network_is_found_by_acronym_and_marked_existing():
    network = factories.NetworkFactory(
        name="Deutsche Gesellschaft für Zusammenarbeit", acronym="GIZ"
    )
    text = "UCLG ASPAC, in cooperation with GIZ, co-organised the workshop in Bangkok."
    proposals = propose(extract_text(text), Registry.from_database())
    assert any(n.existing == network.pk for n in proposals.networks)


def test_year_left_out_is_inferred_and_said_so():
    text = (
        "This two-year initiative (2025–2026) brings cities together.\n"
        "The network officially launched on 18 March with its first workshop hosted by "
        "Kaohsiung City.\nThe two-day workshop trained officials."
    )
    (activity,) = propose(extract_text(text), Registry()).activities
    assert activity.inferred_year
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2025, 3, 18),
        datetime.date(2025, 3, 19),
    )


def test_a_side_event_is_dated_by_the_event_it_belongs_to():
    text = (
        "Annual Report 2023\n\n"
        "The Awards Ceremony took place at the 8th Asia Pacific Urban Forum (APUF-8) in "
        "Suwon on October 25, 2023.\n\n"
        "CITYNET BOOTH AT APUF-8\n\n"
        "The Secretariat organized a promotional booth at the forum.\n"
    )
    activities = propose(extract_text(text), Registry()).activities
    booth = next(a for a in activities if "BOOTH" in a.title)
    assert (booth.start_date, booth.end_date, booth.date_precision) == (
        datetime.date(2023, 10, 1),
        datetime.date(2023, 10, 31),
        DatePrecision.MONTH,
    )
    assert "APUF-8" in booth.how


def test_member_list_becomes_memberships_of_the_network():
    text = (
        "CityNet welcomed new members. CityNet organized the congress.\n\nFull Members\n\n"
        "Busan · Incheon · Kaohsiung · Yokohama · Jakarta · Surabaya\n"
    )
    proposals = propose(extract_text(text), Registry())
    members = {m.member_city.name for m in proposals.memberships if m.member_city}
    assert {"Busan", "Incheon", "Yokohama", "Jakarta"} <= members
    assert {m.network for m in proposals.memberships} == {"CityNet"}
    assert {m.member_type for m in proposals.memberships} == {"full"}


def test_seed_documents_stay_above_the_measured_floors():
    """The figures of docs/intake.md, against a registry that holds none of the seed."""
    evaluation = evaluate(Registry.from_database())
    assert evaluation.total("cities").recall >= 0.95
    assert evaluation.total("cities").precision >= 0.88
    assert evaluation.total("activity dates").recall >= 0.80
    assert evaluation.total("city pairs").recall >= 0.70
    assert evaluation.proposals_right.precision >= 0.80
