"""A contact in Hat Yai for network B's pairing, and readers near and far from it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from contacts.choices import ContactRoleKind
from contacts.models import ContactRole, Person
from programmes.choices import StaffRole
from programmes.models import NetworkStaff
from tests import factories

# Words that occur only in the contact's personal data.
NAME = "Wanphen Srisuk"
EMAIL = "wanphen@hatyai.example"
PHONE = "+66 74 200 999"
TITLE = "Zebrafinch coordinator"


@pytest.fixture
def contact_world(db, django_user_model):
    w = type("World", (), {})()
    w.network_a = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    w.network_b = factories.NetworkFactory(name="CityNet", slug="citynet")
    w.programme = factories.ProgrammeFactory(name="Urban-Act", slug="urban-act")
    factories.ProgrammeNetworkFactory(programme=w.programme, network=w.network_b)
    w.other_programme = factories.ProgrammeFactory(name="IUC Asia", slug="iuc-asia")
    factories.ProgrammeNetworkFactory(programme=w.other_programme, network=w.network_a)
    w.city = factories.CityFactory(name="Hat Yai", slug="hat-yai")
    w.partner = factories.CityFactory(name="Iloilo", slug="iloilo")
    w.pairing = factories.PairingFactory(
        programme=w.programme, title="Hat Yai – Iloilo", cities=[w.city, w.partner]
    )
    w.person = Person.objects.create(
        name=NAME, title=TITLE, email=EMAIL, phone=PHONE, languages="Thai, English"
    )
    w.role = ContactRole.objects.create(
        person=w.person, role=ContactRoleKind.FOCAL_POINT, pairing=w.pairing
    )
    w.city_role = ContactRole.objects.create(
        person=w.person, role=ContactRoleKind.TECHNICAL_LEAD, city=w.city
    )

    def officer(name, network):
        user = django_user_model.objects.create_user(name, password="a-long-pass-99")
        NetworkStaff.objects.create(user=user, network=network, role=StaffRole.OFFICER)
        return user

    w.readers = {
        "anonymous": AnonymousUser(),
        "reader": django_user_model.objects.create_user("reader", password="a-long-pass-99"),
        "other-officer": officer("officer-a", w.network_a),
        "own-officer": officer("officer-b", w.network_b),
        "admin": django_user_model.objects.create_superuser("admin", "a@example.org", "x-pass-99"),
    }
    return w
