"""factory_boy factories; dates derive from each other so nothing is random."""

import datetime

import factory
from django.utils.text import slugify

from activities.models import Activity
from cities.models import City, CityAlternativeName
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    Programme,
    ProgrammeNetwork,
    StreamPriority,
    ThematicStream,
)
from sources.models import Citation, Source

BASE_DATE = datetime.date(2026, 3, 1)


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Testville {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = "TH"
    latitude = factory.Sequence(lambda n: 10 + (n % 50) / 10)
    longitude = factory.Sequence(lambda n: 100 + (n % 50) / 10)


class CityAlternativeNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityAlternativeName

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Othername {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    start_date = datetime.date(2026, 1, 1)
    end_date = factory.LazyAttribute(lambda o: o.start_date.replace(year=o.start_date.year + 1))


class ProgrammeNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeNetwork

    programme = factory.SubFactory(ProgrammeFactory)
    network = factory.SubFactory(NetworkFactory)


class ThematicStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicStream

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Stream {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class StreamPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreamPriority

    stream = factory.SubFactory(ThematicStreamFactory)
    text = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)


class PairingFactory(factory.django.DjangoModelFactory):
    """A pairing of two fresh cities (pass ``cities=[...]`` to choose them)."""

    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Pairing {n}")
    start_date = factory.LazyAttribute(lambda o: o.programme.start_date)

    @factory.post_generation
    def cities(self, create, extracted, **kwargs):
        if not create:
            return
        for city in extracted if extracted is not None else CityFactory.create_batch(2):
            PairingParticipant.objects.create(pairing=self, city=city)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Activity {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    start_date = BASE_DATE
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    record = factory.SubFactory(CityFactory)
    quote = factory.Sequence(lambda n: f"A passage of the source, number {n}.")
