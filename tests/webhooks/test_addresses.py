"""Server-side request forgery: webhook addresses must be http(s) and resolve to public IPs."""

import pytest

from webhooks.addresses import UnsafeAddress, check_url


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("https://192.168.0.10/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[fe80::1]/hook", "link-local"),
        ("http://224.0.0.1/hook", "multicast"),
        ("http://0.0.0.0/hook", "unspecified"),
        ("http://240.0.0.1/hook", "reserved"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("ftp://example.org/hook", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("http:///hook", "host name"),
        ("http://example.org:99999/hook", "port"),
        ("http://no-such-host.invalid/hook", "does not resolve"),
    ],
)
def test_unsafe_addresses_are_refused_in_production(production, url, reason):
    with pytest.raises(UnsafeAddress, match=reason):
        check_url(url)


def test_a_public_address_is_accepted_and_its_ip_kept(production):
    target = check_url("https://93.184.215.14:8443/hook?x=1")
    assert (target.host, target.port, target.ip) == ("93.184.215.14", 8443, "93.184.215.14")


def test_development_allows_loopback_but_not_private_networks(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert check_url("http://127.0.0.1:9000/hook").ip == "127.0.0.1"
    with pytest.raises(UnsafeAddress, match="private"):
        check_url("http://10.0.0.5/hook")


def test_private_networks_only_when_allowed(production, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert check_url("http://10.0.0.5/hook").ip == "10.0.0.5"
    with pytest.raises(UnsafeAddress, match="multicast"):
        check_url("http://224.0.0.1/hook")


def test_loopback_is_off_by_default_in_production():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "x" * 60}
    env.update(ALLOWED_HOSTS="registry.example.org")
    env.pop("DEBUG", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.WEBHOOKS_ALLOW_LOOPBACK, settings.WEBHOOKS_ALLOW_PRIVATE)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "False False"
