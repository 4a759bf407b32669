"""REST API for this app: serializers and viewsets (routed in citypairing/api/urls.py)."""
