import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from programmes.models import Membership, PairingParticipant, StreamMember, StreamPriority
from tests.factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PairingFactory,
    ProgrammeFactory,
    ThematicStreamFactory,
)
from tests.helpers import assert_invalid, rejected_by_database

pytestmark = pytest.mark.django_db


def test_programme_rejects_end_before_start():
    programme = ProgrammeFactory.build(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2025, 12, 31)
    )
    assert_invalid(programme, "end_date", "cannot be before the start date")
    with rejected_by_database("programme_end_after_start"):
        programme.save()


def test_programme_with_dates_in_order_is_accepted():
    programme = ProgrammeFactory.build()
    programme.full_clean()


def test_pairing_rejects_end_before_start():
    pairing = PairingFactory(cities=[])
    pairing.start_date, pairing.end_date = datetime.date(2026, 5, 1), datetime.date(2026, 4, 1)
    assert_invalid(pairing, "end_date", "cannot be before the start date")
    with rejected_by_database("pairing_end_after_start"):
        pairing.save()


def test_pairing_rejects_stream_of_another_programme():
    pairing = PairingFactory.build(programme=ProgrammeFactory(), stream=ThematicStreamFactory())
    assert_invalid(pairing, "stream", "stream of the pairing's own programme")


def test_pairing_rejects_same_city_twice():
    city = CityFactory()
    pairing = PairingFactory(cities=[city])
    duplicate = PairingParticipant(pairing=pairing, city=city)
    with pytest.raises(Exception, match="cannot be paired with itself"):
        duplicate.full_clean()
    with rejected_by_database("participant_unique_city"):
        duplicate.save()


def _commit_check():
    """Fire the deferred constraint triggers now, as COMMIT would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_database_rejects_same_cities_paired_twice_in_a_programme_and_stream():
    taichung, prato = CityFactory(name="Taichung"), CityFactory(name="Prato")
    first = PairingFactory(cities=[taichung, prato])
    with pytest.raises(IntegrityError, match="pairing_unique_city_set"), transaction.atomic():
        PairingFactory(programme=first.programme, cities=[prato, taichung])
        _commit_check()


def test_same_cities_may_pair_in_another_stream_or_programme():
    taichung, prato = CityFactory(), CityFactory()
    first = PairingFactory(cities=[taichung, prato])
    PairingFactory(cities=[taichung, prato])  # another programme
    PairingFactory(
        programme=first.programme,
        stream=ThematicStreamFactory(programme=first.programme),
        cities=[taichung, prato],
    )
    PairingFactory(programme=first.programme, cities=[taichung, prato, CityFactory()])
    _commit_check()


def test_moving_a_pairing_onto_an_identical_one_is_rejected():
    a, b = CityFactory(), CityFactory()
    stream = ThematicStreamFactory()
    PairingFactory(programme=stream.programme, stream=stream, cities=[a, b])
    other = PairingFactory(programme=stream.programme, cities=[a, b])
    with pytest.raises(IntegrityError, match="pairing_unique_city_set"), transaction.atomic():
        other.stream = stream
        other.save()
        _commit_check()


def test_membership_needs_exactly_one_member():
    network = NetworkFactory()
    neither = Membership(network=network)
    assert_invalid(neither, "city", "either a city or an organisation")
    with rejected_by_database("membership_city_or_network"):
        neither.save()
    both = Membership(network=network, city=CityFactory(), member_network=NetworkFactory())
    assert_invalid(both, "city", "either a city or an organisation")
    with rejected_by_database("membership_city_or_network"):
        both.save()


def test_membership_is_unique_per_city_and_network():
    membership = MembershipFactory()
    duplicate = Membership(network=membership.network, city=membership.city)
    with pytest.raises(Exception, match="already a member"):
        duplicate.full_clean()
    with rejected_by_database("membership_unique_city"):
        duplicate.save()


def test_network_cannot_be_member_of_itself():
    network = NetworkFactory()
    membership = Membership(network=network, member_network=network)
    assert_invalid(membership, "member_network", "cannot be a member of itself")
    with rejected_by_database("membership_not_self"):
        membership.save()


def test_organisation_membership_is_accepted():
    membership = Membership(network=NetworkFactory(), member_network=NetworkFactory())
    membership.full_clean()
    membership.save()


def test_network_cannot_be_its_own_parent():
    network = NetworkFactory()
    network.parent = network
    assert_invalid(network, "parent", "cannot be its own parent")
    with rejected_by_database("network_not_own_parent"):
        network.save()


def test_stream_names_are_unique_within_a_programme():
    stream = ThematicStreamFactory(name="Waste")
    duplicate = ThematicStreamFactory.build(programme=stream.programme, name="Waste", slug="w2")
    with pytest.raises(Exception, match="already has a stream with that name"):
        duplicate.full_clean()
    with rejected_by_database("stream_unique_name_per_programme"):
        duplicate.save()


def test_stream_priorities_keep_their_order_unique():
    stream = ThematicStreamFactory()
    StreamPriority.objects.create(stream=stream, text="Reducing food and organic waste", order=1)
    with rejected_by_database("streampriority_unique_order"):
        StreamPriority.objects.create(stream=stream, text="Lowering emissions", order=1)


def test_stream_member_needs_exactly_one_member():
    member = StreamMember(stream=ThematicStreamFactory())
    assert_invalid(member, "city", "either a city or an organisation")
    with rejected_by_database("streammember_city_or_network"):
        member.save()


def test_stream_member_is_unique_per_city_and_stream():
    stream, city = ThematicStreamFactory(), CityFactory()
    StreamMember.objects.create(stream=stream, city=city)
    duplicate = StreamMember(stream=stream, city=city)
    with pytest.raises(Exception, match="already has a role in that stream"):
        duplicate.full_clean()
    with rejected_by_database("streammember_unique_city"):
        duplicate.save()


def test_stream_member_is_unique_per_organisation_and_stream():
    stream, network = ThematicStreamFactory(), NetworkFactory()
    StreamMember.objects.create(stream=stream, network=network)
    with rejected_by_database("streammember_unique_network"):
        StreamMember.objects.create(stream=stream, network=network)


def test_member_is_the_city_or_the_organisation_by_its_full_name():
    city = CityFactory(name="Makati")
    network = NetworkFactory(name="Local Governments for Sustainability", acronym="ICLEI")
    by_city = MembershipFactory(city=city)
    by_network = Membership.objects.create(network=NetworkFactory(), member_network=network)
    streams = StreamMember(stream=ThematicStreamFactory(), network=network)
    assert by_city.member == city and by_city.member_name == str(city)
    assert by_network.member == network
    assert by_network.member_name == streams.member_name == "Local Governments for Sustainability"


def test_members_are_read_with_their_city_or_organisation_in_one_query(
    django_assert_num_queries,
):
    network = NetworkFactory()
    MembershipFactory(network=network)
    Membership.objects.create(network=network, member_network=NetworkFactory())
    with django_assert_num_queries(1):
        names = [m.member_name for m in Membership.objects.filter(network=network).with_member()]
    assert len(names) == 2
