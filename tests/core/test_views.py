"""The page bases every app's pages share: lists, records, forms, login, bad input."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client

from activities.models import Activity
from tests.pages import (
    activity_data,
    build_registry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


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
            # The documents that name the city: one full-text query; the records' version,
            # which keeps anonymous readers' pairings and activities sections.
            12,
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


# (address, resource in the API, text the page must show, most queries allowed)
LISTS = [
    ("/cities/", "cities", "Wichit", 6),
    ("/networks/", "networks", "CityNet", 3),
    ("/programmes/", "programmes", "Urban-Act", 4),
    ("/streams/", "thematic-streams", "Flood management", 5),  # + themes, + lists version
    ("/pairings/", "pairings", "Wichit – Iloilo City", 7),
    ("/activities/", "activities", "Study visit to Iloilo", 7),  # + the option lists version
    ("/sources/", "sources", "City Pairing Workshop report", 4),  # + themes, + lists version
]


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=Wichit%00",
        "/cities/?q=%00",
        "/activities/?ordering=%00title",
        "/activities/calendar/?month=2026-03%00",
        "/map/?%00=1",
        "/cities/%00/",
        "/admin/login/?next=/%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400_page_that_says_why(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    text = response.content.decode()
    assert "holds a NUL byte (U+0000), which the registry cannot store" in text
    assert "remove it and send the request again" in text


def test_a_nul_byte_in_a_header_or_cookie_is_a_400(anonymous):
    assert anonymous.get("/", HTTP_USER_AGENT="bot\x00").status_code == 400
    anonymous.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert anonymous.get("/").status_code == 400


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_saved(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    client.raise_request_exception = False
    response = client.post("/activities/new/", activity_data(title="Study\x00visit"))
    assert response.status_code == 400
    assert "The field “title” holds a NUL byte" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_form_body_over_the_limit_is_413_in_words(client, settings, django_user_model):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    client.raise_request_exception = False
    response = client.post("/activities/new/", activity_data(description="x" * 2_000))
    assert response.status_code == 413
    assert "The form sent more than the registry accepts at once" in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("length", [151, 256, 5_000])
def test_a_user_name_longer_than_any_account_is_a_form_error(anonymous, url, length):
    response = anonymous.post(url, {"username": "x" * length, "password": "secret"})
    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert errors == [f"Ensure this value has at most 150 characters (it has {length})."]
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_counted_by_the_login_throttle(anonymous):
    response = anonymous.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="officer").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/activities/new/?pairing=" + "9" * 5_000,
        "/activities/new/?pairing=%C2%B2",  # "²": a digit to str.isdigit(), not to int()
        "/activities/calendar/?year=" + "9" * 5_000,
        "/activities/calendar/?year=%C2%B2",
        "/streams/options/?programme=" + "9" * 5_000,
        "/streams/options/?programme=%C2%B2",
    ],
)
def test_a_number_no_id_or_year_can_be_is_ignored(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    assert client.get(url).status_code == 200


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


def test_every_detail_page_has_a_sources_section(client, registry):
    for url, _, _ in detail_urls(registry)[:6]:
        assert 'id="sources-heading"' in client.get(url).text, url


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("url", "resource", "text", "max_queries"), LISTS)
def test_list_page_shows_records_in_bounded_queries(
    client, django_assert_max_num_queries, size, url, resource, text, max_queries
):
    build_registry(size)
    with django_assert_max_num_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    if size == 3:  # with 30 rows the record may be on another page
        assert text in response.text
    assert re.search(r"<title>[^<]+ · City Pairing Registry</title>", response.text)
    assert response.text.count("<h1") == 1
    assert f'href="/api/v1/{resource}/?format=csv"' in response.text


@pytest.mark.parametrize(("url", "resource", "text", "max_queries"), LISTS)
def test_list_page_has_a_result_count(client, registry, url, resource, text, max_queries):
    response = client.get(url)
    count = response.context["result_count"]
    assert count >= 1
    assert re.search(rf'id="results-heading"[^>]*>{count} ', response.text)


def test_filters_stay_in_the_url_and_in_the_export_link(client, registry):
    response = client.get("/cities/", {"country": "PH"})
    countries = {city.country.code for city in response.context["object_list"]}
    assert countries == {"PH"}
    assert 'href="/api/v1/cities/?country=PH&amp;format=csv"' in response.text
    assert 'value="PH" checked' in response.text or 'value="PH" selected' in response.text


def test_sorting_by_a_column_reverses_on_second_click(client, registry):
    ascending = client.get("/cities/", {"ordering": "name"})
    names = [city.name for city in ascending.context["object_list"]]
    assert names == sorted(names)
    assert 'aria-sort="ascending"' in ascending.text
    assert 'href="?ordering=-name"' in ascending.text
    descending = client.get("/cities/", {"ordering": "-name"})
    assert [city.name for city in descending.context["object_list"]] == sorted(names)[::-1]
    assert 'aria-sort="descending"' in descending.text


def test_list_is_paginated_with_links_that_keep_the_filters(client, db):
    build_registry(30)
    response = client.get("/cities/", {"kind": "city"})
    assert response.context["is_paginated"]
    assert "showing 1–25" in response.text
    assert 'href="?kind=city&amp;page=2"' in response.text
    second = client.get("/cities/", {"kind": "city", "page": 2})
    assert second.status_code == 200
    assert len(second.context["object_list"]) == second.context["result_count"] - 25


def test_estimated_list_pages_follow_the_rows(client, db, monkeypatch):
    """A long list's count is an estimate ("about"): its pages still end where the rows do."""
    from core.counting import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)
    build_registry(30)
    seen, page = [], 1
    while True:
        response = client.get("/cities/", {"kind": "city", "page": page})
        assert response.status_code == 200
        assert "about" in response.text and "Last »" not in response.text
        seen += [city.pk for city in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            break
        assert f'href="?kind=city&amp;page={page + 1}"' in response.text
        page += 1
    assert page == 2
    assert len(seen) == len(set(seen)) == response.context["paginator"].object_list.count()


def test_htmx_request_gets_only_the_results(client, registry):
    response = client.get(
        "/pairings/", {"q": "wichit"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("{%") is False
    assert 'id="results"' in response.text
    assert "Wichit – Iloilo City" in response.text
    assert "HX-Request" in response["Vary"]


def test_invalid_filter_says_what_to_type(client, registry):
    response = client.get("/activities/", {"month": "March"})
    assert response.status_code == 200
    assert "Give a month as YYYY-MM, e.g. 2026-03." in response.text
    assert list(response.context["object_list"]) == []


def test_filter_fields_have_labels(client, registry):
    response = client.get("/pairings/")
    for field in response.context["filter_shown"]:
        assert f'for="{field.id_for_label}"' in response.text or field.use_fieldset


@pytest.mark.parametrize("url", ["/pairings/new/", "/activities/new/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_users_without_permission_are_refused(reader_client, registry):
    assert reader_client.get("/pairings/new/").status_code == 403
    assert reader_client.get(f"/pairings/{registry.pairing.pk}/edit/").status_code == 403
    assert reader_client.get(f"/cities/{registry.wichit.slug}/edit/").status_code == 403


def test_form_fields_all_have_labels(officer_client, registry):
    for url in ("/pairings/new/", "/activities/new/", "/cities/wichit/edit/"):
        response = officer_client.get(url)
        form = response.context["form"]
        for field in form:
            if not field.is_hidden:
                assert f'for="{field.id_for_label}"' in response.text or field.use_fieldset, (
                    url,
                    field.name,
                )


def test_cancel_goes_back_to_the_list_or_the_record(officer_client, registry):
    assert 'href="/pairings/" class="button-link secondary outline">Cancel' in (
        officer_client.get("/pairings/new/").text
    )
    edit = officer_client.get(f"/activities/{registry.activity.pk}/edit/").text
    assert (
        f'href="/activities/{registry.activity.pk}/" class="button-link secondary outline"' in edit
    )


def test_login_page_is_styled_like_the_site(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "site.css" in response.text
    assert 'for="id_username"' in response.text
    assert 'for="id_password"' in response.text
    assert "<title>Log in · City Pairing Registry</title>" in response.text


def test_login_with_a_wrong_password_says_so(client, officer):
    response = client.post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert "Please enter a correct username and password" in response.text
    assert 'value="officer"' in response.text


def test_login_then_logout(client, officer):
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    assert "Log out" in client.get("/").text
    assert client.post("/accounts/logout/").status_code == 302
    assert "Log in" in client.get("/").text
