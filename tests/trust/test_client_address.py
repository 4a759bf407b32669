"""The client's address behind the configured proxies: the API's rate limit and the login
lock-out trust X-Forwarded-For only as far as NUM_PROXIES says."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from core.proxies import client_address

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


@pytest.fixture
def anonymous_limit(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": None},
    }
    cache.clear()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),
        (1, "", "127.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the first one the client wrote
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the first
        (1, "not-an-address", "127.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_proxies_entries(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)
    assert client_address(request) == expected


def test_a_forged_forwarded_for_does_not_dodge_the_anonymous_limit(db, settings, anonymous_limit):
    settings.NUM_PROXIES = 0
    client = Client()
    statuses = [
        client.get("/api/v1/cities/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(70)
    ]
    assert statuses == [200] * 60 + [429] * 10


def test_behind_one_proxy_each_client_has_its_own_limit(db, settings, anonymous_limit):
    settings.NUM_PROXIES = 1
    client = Client(REMOTE_ADDR=PROXY)  # every request arrives from the proxy
    first = [
        client.get("/api/v1/cities/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9")
        for n in range(61)
    ]
    assert [response.status_code for response in first] == [200] * 60 + [429]
    other = client.get("/api/v1/cities/", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


# --- Login lock-out: per address and per user name, separately --------------------------


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password="a-long-pass-99")


def log_in(username, password, address=PROXY, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password}, **headers
    )


def test_twelve_user_names_from_one_address_lock_that_address(db, officer):
    statuses = [log_in(f"guess-{n}", "wrong", "203.0.113.9").status_code for n in range(12)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}
    # Even the right password, from that address; from another, the officer logs in.
    assert log_in("officer", "a-long-pass-99", "203.0.113.9").status_code == 429
    assert log_in("officer", "a-long-pass-99", "198.51.100.4").status_code == 302


def test_bad_passwords_from_several_addresses_lock_the_user_name(db, officer):
    for n in range(5):
        log_in("officer", "wrong", f"198.51.100.{n}")
    assert log_in("officer", "a-long-pass-99", "203.0.113.50").status_code == 429
    # Another user is not locked out from those addresses.
    assert log_in("someone-else", "wrong", "198.51.100.0").status_code == 200


def test_a_success_does_not_wipe_the_failures_counted_against_an_address(
    db, officer, django_user_model
):
    django_user_model.objects.create_user("attacker", password="a-long-pass-98")
    for n in range(4):
        log_in(f"guess-{n}", "wrong", "203.0.113.9")
    assert log_in("attacker", "a-long-pass-98", "203.0.113.9").status_code == 302
    assert log_in("guess-5", "wrong", "203.0.113.9").status_code == 429


def test_behind_a_proxy_one_client_does_not_lock_out_the_others(db, settings, officer):
    settings.NUM_PROXIES = 1
    for n in range(12):
        log_in(f"guess-{n}", "wrong", PROXY, forwarded="203.0.113.9")
    assert log_in("guess-x", "wrong", PROXY, forwarded="203.0.113.9").status_code == 429
    assert log_in("officer", "a-long-pass-99", PROXY, forwarded="198.51.100.4").status_code == 302


def test_without_proxies_a_forged_header_does_not_unlock_an_address(db, settings, officer):
    settings.NUM_PROXIES = 0
    for n in range(5):
        log_in(f"guess-{n}", "wrong", "203.0.113.9", forwarded=f"198.51.100.{n}")
    response = log_in("officer", "a-long-pass-99", "203.0.113.9", forwarded="198.51.100.200")
    assert response.status_code == 429
