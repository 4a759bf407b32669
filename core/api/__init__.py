"""The REST API's shared machinery: base viewset, serializers, permissions, pagination,
formats, errors, schema.

Each app keeps its own serializers and viewsets in ``<app>/api/``; this package holds
what they share, so every resource behaves the same way. The router is the project's
(``citypairing/api/urls.py``).
"""
