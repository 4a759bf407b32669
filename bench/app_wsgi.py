"""The app as ``make run`` serves it, plus the benchmark's floor: a view that does nothing.

``/api/bench/floor/`` answers a constant JSON object through the middleware an API read
takes (``core.wsgi``) and DRF's view machinery (content negotiation, authentication,
permissions, throttles, rendering) and reads nothing: what any API request costs before
its own work. It is added here, for the benchmark's server only; the registry's URLs do
not have it.
"""

import citypairing.wsgi

application = citypairing.wsgi.application  # what gunicorn serves

# After set-up (the URLs import the apps' models), before the first request reads them.
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

import citypairing.urls  # noqa: E402

FLOOR = {"id": 1, "title": "floor"}


class FloorView(APIView):
    """The fixed cost of an API request: nothing read, a constant answer."""

    def get(self, request):
        return Response(FLOOR)


citypairing.urls.urlpatterns.insert(0, path("api/bench/floor/", FloorView.as_view()))
