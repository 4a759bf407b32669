"""Rate limits: anonymous readers by IP, partners by their token's user.

The rates are read on every request (not once at import, as DRF's own classes do), so
tests and deployments can change ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. The IP is
the client's behind the configured proxies only (``core.proxies``): a forged
X-Forwarded-For does not make a new client.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from core.proxies import client_address


class RuntimeRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


class AnonThrottle(RuntimeRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(RuntimeRateMixin, throttling.UserRateThrottle):
    pass
