"""The filter panel counts the filters in use, and addresses keep only filled parameters."""

import re

import pytest
from django.utils.html import strip_tags

from tests import factories

pytestmark = pytest.mark.django_db

# What a filter form sends without JavaScript: every field, most of them empty.
FORM_AS_SENT = "q=&status=active&kind=&programme=&stream=&city=&country=&ordering="


def panel_summary(html: str) -> str:
    """Return the text of the filter panel's summary line."""
    return strip_tags(re.search(r"<summary>(.*?)</summary>", html, flags=re.S).group(1))


def test_filter_panel_counts_only_the_filters_in_use(client):
    factories.PairingFactory(status="active")
    text = client.get("/pairings/?status=active&status=agreed&country=TH").text
    assert panel_summary(text) == "Filters (2 active)"


@pytest.mark.parametrize(
    "page, sent, clean",
    [
        ("/pairings/", FORM_AS_SENT, "/pairings/?status=active"),
        ("/activities/", "q=&kind=workshop&month=", "/activities/?kind=workshop"),
        ("/cities/", "q=&country=", "/cities/"),
        ("/map/", "q=&status=active&programme=", "/map/?status=active"),
        ("/activities/calendar/", "year=2026&programme=&kind=", "/activities/calendar/?year=2026"),
    ],
)
def test_empty_parameters_redirect_to_the_address_without_them(client, page, sent, clean):
    response = client.get(f"{page}?{sent}")
    assert response.status_code == 302
    assert response["Location"] == clean


def test_a_form_sent_with_one_status_ticked_says_one_filter_is_active(client):
    factories.PairingFactory(status="active")
    response = client.get(f"/pairings/?{FORM_AS_SENT}", follow=True)
    assert response.redirect_chain == [("/pairings/?status=active", 302)]
    assert panel_summary(response.text) == "Filters (1 active)"
    assert 'type="hidden"' not in response.text.split('id="filter-form"')[1].split("</form>")[0]


def test_several_values_keep_the_filled_ones(client):
    response = client.get("/pairings/?status=&status=active&status=agreed&page=")
    assert response["Location"] == "/pairings/?status=active&status=agreed"


def test_clean_addresses_are_not_redirected(client):
    assert client.get("/pairings/?status=active").status_code == 200
    assert client.get("/pairings/").status_code == 200


def test_live_filtering_sends_the_count_along_with_the_results(client):
    headers = {"HX-Request": "true", "HX-Target": "results"}
    html = client.get("/pairings/?status=active&country=TH", headers=headers).text
    assert '<section id="results"' in html
    assert '<span id="filter-count" data-hx-swap-oob="true"> (2 active)</span>' in html
    assert "<summary>" not in html
