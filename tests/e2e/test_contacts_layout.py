"""The contact pages on a phone (390 px): nothing scrolls sideways, long e-mails wrap."""

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_layout import MEASURE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contact_pages_fit_a_phone(browser, live_server, screenshot):
    from django.contrib.auth import get_user_model

    from contacts.models import ContactRole, Person
    from programmes.choices import StaffRole
    from programmes.models import NetworkStaff
    from tests import factories

    network = factories.NetworkFactory(name="UCLG ASPAC", slug="uclg-aspac")
    pairing = factories.PairingFactory(title="Hat Yai – Iloilo")
    factories.ProgrammeNetworkFactory(programme=pairing.programme, network=network)
    person = Person.objects.create(
        name="Wanphen Srisuk",
        title="Head of the Division of Environment and Public Health Promotion",
        organisation_network=network,
        email="wanphen.srisuk.environment-division@municipality-of-hatyai.example.org",
        phone="+66 74 200 999",
        languages="Thai, English",
    )
    ContactRole.objects.create(person=person, pairing=pairing)
    officer = get_user_model().objects.create_user("officer", password="a-long-pass-99")
    NetworkStaff.objects.create(user=officer, network=network, role=StaffRole.OFFICER)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 900})
    sign_in(context, officer, live_server)
    page = context.new_page()
    for name, url in [
        ("contacts-390", "/contacts/"),
        ("contact-390", f"/contacts/{person.pk}/"),
        ("pairing-contacts-390", f"/pairings/{pairing.pk}/"),
    ]:
        page.goto(url)
        screenshot(page, name)
        measured = page.evaluate(MEASURE)
        assert measured["scrollWidth"] <= 390, (url, measured["wider"])
    assert page.get_by_role("heading", name="Contacts").count() == 1
    context.close()
