"""Every kind of page the site serves, for the checks that run over all of them.

The HTML checker (``tests/citypairing/test_html_valid.py``) and the browser's layout check
(``tests/e2e/test_layout.py``) open each page of ``pages(site)``, as the user it names.
``test_every_page_route_is_in_the_catalogue`` fails when a route is added without a page
here (or a reason in ``NOT_PAGES``), so no page type escapes the checks.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver

from partners.models import PartnerRequest
from programmes.choices import StaffRole
from programmes.models import NetworkStaff, Programme
from tests import factories
from tests.pages import build_registry
from themes.models import Theme
from themes.vocabulary import load_vocabulary

ANONYMOUS, ADMIN, OFFICER, READER = "anonymous", "admin", "officer", "reader"
LONG_PROGRAMME_NAMES = [
    "Kaohsiung–ICLEI Climate Neutral and Smart Cities Community of Practice",
    "International City Partnerships: Acting for Green and Inclusive Recovery",
    "Expanded Climate and Innovation Agenda for Cities and Regions",
    "International Urban and Regional Cooperation",
]
PASSWORD = "a-long-pass-phrase"

# Routes that are no page of the site, and why.
NOT_PAGES = {
    "favicon": "a redirect to the icon",
    "logout": "POST only, then a redirect",
    "cities:city_suggest": "a fragment of <option>s for a datalist",
    "programmes:stream_options": "a fragment of <option>s for a select",
    "programmes:map_cities": "GeoJSON",
    "programmes:map_pairings": "GeoJSON",
    "programmes:map_data": "the map's own compact JSON",
    "programmes:pairing_geojson": "GeoJSON",
    "cities:city_geojson": "GeoJSON",
    "programmes:programme_report_csv": "CSV",
    "partners:partner_request_close": "POST only, then a redirect",
    "imports:export": "CSV, XLSX or JSON files",
    "imports:confirm": "POST only: saves a previewed import",
    "contacts:contactrole_list": "a redirect to the people's list",
    "followup:calendar_regenerate": "POST only, then a redirect",
    "followup:calendar_feed": "an iCalendar feed",
    "sources:source_file": "the uploaded file, as a download",
    "sources:source_publish": "POST only, then a redirect",
    # Django's own account pages (admin-styled), not linked from the site.
    "password_change": "Django's admin-styled page, not linked",
    "password_change_done": "Django's admin-styled page, not linked",
    "password_reset": "Django's admin-styled page, not linked",
    "password_reset_done": "Django's admin-styled page, not linked",
    "password_reset_confirm": "Django's admin-styled page, not linked",
    "password_reset_complete": "Django's admin-styled page, not linked",
}
# Route prefixes with pages of their own kind, checked elsewhere.
OTHER_SITES = ("admin/", "api/")


@dataclass(frozen=True)
class Page:
    """One page to open: its route's name, address, who opens it, the status it answers."""

    route: str
    url: str
    user: str = ANONYMOUS
    status: int = 200
    label: str = ""

    @property
    def name(self) -> str:
        """Return a name for files and test ids (``pairing_update-admin``)."""
        base = self.label or self.route.split(":")[-1]
        return f"{base}-{self.user}"


def build_site() -> SimpleNamespace:
    """Create a registry with a record of every kind, long texts, and the users of ``pages``."""
    from django.contrib.auth import get_user_model

    site = build_registry(3)
    users = get_user_model().objects
    site.admin = users.create_superuser(ADMIN, f"{ADMIN}@example.org", PASSWORD)
    site.reader = users.create_user(READER, password=PASSWORD)
    site.officer = users.create_user(OFFICER, password=PASSWORD)
    NetworkStaff.objects.create(user=site.officer, network=site.network, role=StaffRole.OFFICER)
    site.other_pairing = factories.PairingFactory(title="Bangkok – Prato")  # not theirs
    # Names as long as real ones: the home page's programme table must still fit.
    others = Programme.objects.exclude(pk=site.programme.pk).order_by("pk")
    for programme, name in zip(others, LONG_PROGRAMME_NAMES, strict=False):
        programme.name = name
        programme.save(update_fields=["name"])
    # Long words do not widen a phone's page: a source address, a title without spaces.
    site.long_source = factories.SourceFactory(
        title="Kaohsiung–ICLEI Community of Practice: when bold cities collaborate",
        slug="long-source",
        text="Kaohsiung and ICLEI launch a community of practice.\fWichit joins it.",
        url="https://www.example.org/news/2026/kaohsiung-iclei-community-of-practice-launch-"
        "workshop-when-bold-cities-collaborate-on-net-zero-transitions?ref=registry",
    )
    factories.CitationFactory(source=site.long_source, record=site.pairing)
    # A programme active all year: its report's month chart is wider than a phone.
    for month in range(1, 13):
        factories.ActivityFactory(
            programme=site.programme,
            title=f"Monthly coordination call {month}",
            start_date=datetime.date(2026, month, 15),
        )
    site.partner_request = PartnerRequest.objects.create(
        city=site.wichit,
        programme=site.programme,
        theme="waste",
        deadline=datetime.date.today() + datetime.timedelta(days=60),
        description="Partners for a waste-sorting pilot in the old town.",
    )
    from contacts.models import ContactRole, Person

    site.person = Person.objects.create(
        name="Wanphen Srisuk",
        title="Head of the Division of Environment and Public Health Promotion",
        organisation_city=site.wichit,
        email="wanphen.srisuk@municipality.example.org",
        phone="+66 74 200 999",
        languages="Thai, English",
    )
    site.contact_role = ContactRole.objects.create(person=site.person, pairing=site.pairing)
    load_vocabulary()  # a live-server test before may have flushed the migration's
    site.theme = Theme.objects.get(slug="flood-management")
    for record in (site.pairing, site.stream, site.activity, site.source, site.partner_request):
        record.themes.add(site.theme)
    return site


def pages(site) -> list[Page]:
    """Return one page of every kind, as anonymous visitors, officers and admins see them."""
    r = site
    pairing, activity, programme = r.pairing.pk, r.activity.pk, r.programme.slug
    return [
        Page("home", "/"),
        Page("search", "/search/?q=Wichit"),
        Page("search", "/search/", label="search_empty"),
        Page("login", "/accounts/login/"),
        Page("sources:source_list", "/sources/"),
        Page("sources:source_detail", f"/sources/{r.long_source.slug}/"),
        Page("cities:city_list", "/cities/"),
        Page("cities:city_detail", f"/cities/{r.wichit.slug}/"),
        Page("programmes:network_list", "/networks/"),
        Page("programmes:network_detail", f"/networks/{r.network.slug}/"),
        Page("programmes:programme_list", "/programmes/"),
        Page("programmes:programme_detail", f"/programmes/{programme}/"),
        Page("programmes:programme_report", f"/programmes/{programme}/report/"),
        Page("programmes:stream_list", "/streams/"),
        Page("programmes:stream_detail", f"/streams/{r.stream.slug}/"),
        Page("programmes:pairing_list", "/pairings/"),
        Page("programmes:pairing_list", "/pairings/?status=active", label="pairing_list_filtered"),
        Page("programmes:pairing_detail", f"/pairings/{pairing}/"),
        Page("activities:activity_list", "/activities/"),
        Page("activities:activity_detail", f"/activities/{activity}/"),
        Page("activities:calendar", "/activities/calendar/?year=2026"),
        Page("programmes:map", "/map/"),
        Page("partners:partner_request_list", "/partner-requests/"),
        Page("partners:partner_request_detail", f"/partner-requests/{r.partner_request.pk}/"),
        Page("themes:theme_list", "/themes/"),
        Page("themes:theme_detail", f"/themes/{r.theme.slug}/"),
        Page(
            "programmes:pairing_list",
            f"/pairings/?theme={r.theme.slug}",
            label="pairing_list_theme",
        ),
        Page("not_found", "/no-such-page/", status=404),
        # Signed in.
        Page("partners:city_partners", f"/cities/{r.wichit.slug}/partners/", OFFICER),
        Page("partners:partner_request_create", "/partner-requests/new/", OFFICER),
        Page("programmes:pairing_create", "/pairings/new/", OFFICER),
        Page("programmes:pairing_update", f"/pairings/{pairing}/edit/", OFFICER),
        Page("programmes:pairing_delete", f"/pairings/{pairing}/delete/", OFFICER),
        Page("activities:activity_create", "/activities/new/", OFFICER),
        Page("activities:activity_update", f"/activities/{activity}/edit/", OFFICER),
        Page("activities:activity_delete", f"/activities/{activity}/delete/", OFFICER),
        Page("contacts:person_list", "/contacts/", OFFICER),
        Page("contacts:person_detail", f"/contacts/{r.person.pk}/", OFFICER),
        Page("contacts:person_create", "/contacts/new/", OFFICER),
        Page("contacts:person_update", f"/contacts/{r.person.pk}/edit/", OFFICER),
        Page("contacts:person_erase", f"/contacts/{r.person.pk}/erase/", OFFICER),
        Page("contacts:contactrole_create", f"/contacts/roles/new/?person={r.person.pk}", OFFICER),
        Page("contacts:contactrole_update", f"/contacts/roles/{r.contact_role.pk}/edit/", OFFICER),
        Page(
            "contacts:contactrole_delete", f"/contacts/roles/{r.contact_role.pk}/delete/", OFFICER
        ),
        Page("contacts:person_history", f"/contacts/{r.person.pk}/history/", ADMIN),
        Page("followup:my_work", "/my-work/", OFFICER),
        Page("digests:preferences", "/account/digest/", OFFICER),
        Page(
            "programmes:pairing_update",
            f"/pairings/{r.other_pairing.pk}/edit/",
            OFFICER,
            status=403,
            label="forbidden",
        ),
        Page("cities:city_update", f"/cities/{r.wichit.slug}/edit/", ADMIN),
        Page("programmes:programme_update", f"/programmes/{programme}/edit/", ADMIN),
        Page("imports:index", "/import/", ADMIN),
        Page("imports:upload", "/import/pairings/", ADMIN),
        Page("sources:source_history", f"/sources/{r.source.slug}/history/", ADMIN),
        Page("cities:city_history", f"/cities/{r.wichit.slug}/history/", ADMIN),
        Page("programmes:network_history", f"/networks/{r.network.slug}/history/", ADMIN),
        Page("programmes:programme_history", f"/programmes/{programme}/history/", ADMIN),
        Page("programmes:thematicstream_history", f"/streams/{r.stream.slug}/history/", ADMIN),
        Page("programmes:pairing_history", f"/pairings/{pairing}/history/", ADMIN),
        Page("activities:activity_history", f"/activities/{activity}/history/", ADMIN),
        Page("sources:source_add", "/sources/add/", OFFICER),
        Page("sources:source_proposals", f"/sources/{r.source.slug}/proposals/", ADMIN),
        Page("cities:city_cite", f"/cities/{r.wichit.slug}/cite/", ADMIN),
        Page("programmes:network_cite", f"/networks/{r.network.slug}/cite/", ADMIN),
        Page("programmes:programme_cite", f"/programmes/{programme}/cite/", ADMIN),
        Page("programmes:thematicstream_cite", f"/streams/{r.stream.slug}/cite/", ADMIN),
        Page("programmes:pairing_cite", f"/pairings/{pairing}/cite/", OFFICER),
        Page("activities:activity_cite", f"/activities/{activity}/cite/", OFFICER),
    ]


def page_routes() -> set[str]:
    """Return the names of the site's routes (the admin's and the API's left out)."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(OTHER_SITES):
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))
