"""The client's address, behind as many reverse proxies as the deployment declares.

``X-Forwarded-For`` is whatever the client wrote, followed by one address per proxy that
passed the request on: only the last ``NUM_PROXIES`` entries were written by proxies we
run. With ``NUM_PROXIES = 0`` (the default) the header is ignored and the address is the
connection's (``REMOTE_ADDR``); with 1 (one nginx in front) it is the last entry, and so
on. The API's rate limit (DRF reads the same number as ``REST_FRAMEWORK["NUM_PROXIES"]``)
and the login lock-out (django-axes, ``AXES_CLIENT_IP_CALLABLE``) both use it, so a
client can neither dodge them with a forged header nor lock out everyone behind a proxy.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """Return the client's IP address: the entry ``NUM_PROXIES`` from the end of
    X-Forwarded-For, or REMOTE_ADDR without proxies (or without a valid entry)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote_addr
    entries = [entry.strip() for entry in forwarded.split(",")]
    candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
