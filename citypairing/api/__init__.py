"""The REST API's wiring: the router (``urls.py``), a record's history and the change feed.

The machinery every resource shares lives in ``core.api``; each app keeps its own
serializers and viewsets in ``<app>/api/``.
"""
