"""Where a webhook may be sent: http(s) addresses that resolve to public IP addresses.

Server-side request forgery: a subscriber could name an address inside the registry's
network (the database, a cloud metadata service). Each address is resolved and every
IP address it gives is checked, when subscribing and again before each delivery; the
delivery then connects to the very IP address that was checked (so a DNS answer that
changes in between cannot point it elsewhere). Loopback is allowed in development
(``WEBHOOKS_ALLOW_LOOPBACK``, on with ``DEBUG``) so a local receiver works; private and
link-local networks only with ``WEBHOOKS_ALLOW_PRIVATE``.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class UnsafeAddress(ValueError):
    """The address may not receive webhooks; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """A checked address: the URL, its host name and the IP address to connect to."""

    url: str
    host: str
    port: int
    ip: str


def refusal(ip) -> str | None:
    """Return why ``ip`` may not be connected to, or None when it may."""
    if ip.is_loopback:
        if getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False):
            return None
        return "a loopback address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_link_local or ip.is_private:
        if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False):
            return None
        return "a private or link-local address"
    if not ip.is_global:
        return "a reserved address"
    return None


def check_url(url: str) -> Target:
    """Return the address to connect to for ``url``, or raise ``UnsafeAddress``."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeAddress("Give an http:// or https:// address.")
    if not parts.hostname:
        raise UnsafeAddress("Give an address with a host name, e.g. https://example.org/hook.")
    try:
        port = parts.port or SCHEMES[parts.scheme.lower()]
    except ValueError as error:
        raise UnsafeAddress("The port is not a number between 0 and 65535.") from error
    try:
        answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeAddress(
            f"The host name “{parts.hostname}” does not resolve: check the address."
        ) from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        reason = refusal(ip)
        if reason:
            raise UnsafeAddress(
                f"“{parts.hostname}” resolves to {ip}, {reason}: webhooks go only to "
                "public addresses. Give an address reachable from the internet."
            )
    if not addresses:
        raise UnsafeAddress(f"The host name “{parts.hostname}” has no address.")
    return Target(url=url, host=parts.hostname, port=port, ip=addresses[0])
