"""One signed POST to a checked address (see ``addresses``) and its signature scheme.

The signature covers the timestamp and the body: ``HMAC-SHA256(secret,
"<timestamp>." + body)``, hex, sent as ``X-Registry-Signature: sha256=<hex>`` with
``X-Registry-Timestamp: <Unix seconds>`` (docs/webhooks.md shows how to check it).
"""

import hashlib
import hmac
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings

from webhooks.addresses import Target

USER_AGENT = "CityPairingRegistry-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``X-Registry-Signature`` value of ``body`` sent at ``timestamp``."""
    signed = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def post(target: Target, body: bytes, headers: dict) -> httpx.Response:
    """POST ``body`` to ``target``'s checked IP address, naming its host (Host, TLS SNI
    and certificate check), without following redirects."""
    parts = urlsplit(target.url)
    ip = f"[{target.ip}]" if ":" in target.ip else target.ip
    address = urlunsplit((parts.scheme, f"{ip}:{target.port}", parts.path or "/", parts.query, ""))
    host = (
        target.host
        if target.port == {"http": 80, "https": 443}[parts.scheme]
        else (f"{target.host}:{target.port}")
    )
    extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
    timeout = httpx.Timeout(settings.WEBHOOKS_TIMEOUT_SECONDS, connect=5.0)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        return client.post(
            address,
            content=body,
            headers={**headers, "Host": host, "User-Agent": USER_AGENT},
            extensions=extensions,
        )
