"""Rate limits: anonymous readers by IP, partners by their token's user.

The rates are read on every request (not once at import, as DRF's own classes do), so
tests and deployments can change ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class RuntimeRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(RuntimeRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(RuntimeRateMixin, throttling.UserRateThrottle):
    pass
