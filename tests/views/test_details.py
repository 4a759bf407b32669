"""Detail pages: what each shows, its sources and quotes, and bounded query counts."""

import re
from datetime import date

import pytest

from programmes.choices import PairingStatus
from tests import factories
from tests.views.conftest import build_registry

pytestmark = pytest.mark.django_db


def detail_urls(r):
    """Return (address, texts the page must show, most queries allowed) per detail page."""
    return [
        (
            f"/cities/{r.wichit.slug}/",
            [
                "Wichit",
                "Vichit",
                "CityNet",
                "Iloilo City",
                "Pilot / host city",
                # The page shows the latest 20 activities and links to all of them.
                'href="/activities/?city=wichit"',
                'href="/pairings/?city=wichit"',
                "Wichit Municipality, Phuket Province",
            ],
            11,  # the documents that name the city: one full-text query
        ),
        (f"/networks/{r.network.slug}/", ["CityNet", "Urban-Act", "Wichit"], 6),
        (
            f"/programmes/{r.programme.slug}/",
            [
                "Urban-Act",
                "CityNet",
                "Flood management",
                "Nature-based solutions",
                "Wichit – Iloilo City",
                "Timeline of activities",
                "Mar–Apr 2026",
            ],
            10,
        ),
        (
            f"/streams/{r.stream.slug}/",
            ["Flood management", "Nature-based solutions", "Wichit – Iloilo City"],
            8,
        ),
        (
            f"/pairings/{r.pairing.pk}/",
            [
                "Wichit – Iloilo City",
                "Pilot / host city",
                "Status history",
                "30 Jan 2026",
                "Study visit to Iloilo",
                "Wichit with Iloilo",
            ],
            6,
        ),
        (
            f"/activities/{r.activity.pk}/",
            [
                "Study visit to Iloilo",
                "Mar–Apr 2026",
                "Iloilo City",
                "Wichit",
                "CityNet",
                "Study visit, Mar–Apr",
            ],
            5,
        ),
        (
            f"/sources/{r.source.slug}/",
            ["City Pairing Workshop report", "Wichit Municipality, Phuket Province"],
            6,
        ),
    ]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("index", range(7))
def test_detail_page_shows_the_record_in_bounded_queries(
    client, django_assert_max_num_queries, size, index
):
    r = build_registry(size)
    url, texts, max_queries = detail_urls(r)[index]
    with django_assert_max_num_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    for text in texts:
        assert text in response.text, text
    assert response.text.count("<h1") == 1


def test_city_page_shows_partners_not_the_city_itself(client, registry):
    response = client.get(f"/cities/{registry.wichit.slug}/")
    pairings = response.text.split('id="pairings-heading"')[1].split("</section>")[0]
    assert "Iloilo City" in pairings
    assert ">Wichit</a> <small" not in pairings


def test_every_detail_page_has_a_sources_section(client, registry):
    for url, _, _ in detail_urls(registry)[:6]:
        assert 'id="sources-heading"' in client.get(url).text, url


def test_unpublished_pairing_is_not_found_by_anonymous_readers(client, registry):
    pairing = factories.PairingFactory(programme=registry.programme, is_published=False)
    assert client.get(f"/pairings/{pairing.pk}/").status_code == 404


def test_unpublished_pairing_is_shown_to_officers(officer_client, registry):
    pairing = factories.PairingFactory(programme=registry.programme, is_published=False)
    assert officer_client.get(f"/pairings/{pairing.pk}/").status_code == 200


def test_city_page_hides_unpublished_pairings_from_anonymous_readers(client, registry):
    factories.PairingFactory(
        programme=registry.programme,
        title="Hidden pairing",
        is_published=False,
        cities=[registry.wichit, factories.CityFactory()],
    )
    assert "Hidden pairing" not in client.get(f"/cities/{registry.wichit.slug}/").text


def test_pairing_page_shows_edit_links_only_with_permission(client, officer_client, registry):
    url = f"/pairings/{registry.pairing.pk}/"
    assert f"/pairings/{registry.pairing.pk}/edit/" in officer_client.get(url).text
    client.logout()
    assert f"/pairings/{registry.pairing.pk}/edit/" not in client.get(url).text


def test_status_badge_names_the_status(client, registry):
    response = client.get(f"/pairings/{registry.pairing.pk}/")
    assert f'class="badge status-{PairingStatus.ACTIVE}">Active<' in response.text


def test_busy_city_shows_twenty_of_each_with_counts_and_links(client, db):
    r = build_registry(30)
    response = client.get(f"/cities/{r.wichit.slug}/")
    assert len(response.context["pairings"]) == 20
    assert response.context["pairing_count"] == 31
    assert len(response.context["activities"]) == 20
    assert response.context["activity_count"] == 31
    assert "All 31 pairings of Wichit" in response.text
    assert "All 31 activities of Wichit" in response.text
    # The pairing it hosts comes first, whatever its date.
    assert response.context["pairings"][0] == r.pairing


def test_quiet_city_shows_all_its_activities(client, registry):
    response = client.get(f"/cities/{registry.wichit.slug}/")
    assert "Study visit to Iloilo" in response.text
    assert response.context["activity_count"] == len(response.context["activities"])


def test_programme_timeline_files_year_only_activities_under_their_year(client, registry):
    """A year-only activity is filed under "2025", not "January 2025": the year heads it,
    before the year's months, and January keeps its own activities together."""
    make = factories.ActivityFactory
    make(title="Kick-off call", programme=registry.programme, start_date=date(2025, 1, 1))
    make(
        title="Exchange known by its year",
        programme=registry.programme,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        date_precision="year",
    )
    make(title="Follow-up call", programme=registry.programme, start_date=date(2025, 1, 20))
    html = client.get(f"/programmes/{registry.programme.slug}/").content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    headings = re.findall(r"<h3>(.*?)</h3>", timeline)
    assert headings[:2] == ["2025", "January 2025"]
    assert "March 2026" in headings and headings.count("January 2025") == 1
    year = timeline[timeline.index("<h3>2025</h3>") : timeline.index("<h3>January 2025</h3>")]
    assert "Exchange known by its year" in year and "Kick-off call" not in year
    january = timeline[timeline.index("<h3>January 2025</h3>") :].split("<h3>")[1]
    assert "Kick-off call" in january and "Follow-up call" in january
