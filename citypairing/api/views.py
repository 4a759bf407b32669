"""The base viewset every resource uses."""

from django.conf import settings
from rest_framework import renderers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from citypairing.api.permissions import sees_unpublished
from citypairing.api.renderers import EXPORT_FORMATS, CSVRenderer, ICalendarRenderer

DOWNLOADS = {CSVRenderer.format, ICalendarRenderer.format}


class RegistryViewSet(viewsets.ModelViewSet):
    """List, detail and writes of one resource, in JSON and the export formats.

    Subclasses set ``queryset``, ``serializer_class``, ``filterset_class`` and, for
    records with ``is_published``, ``published()`` for readers who are not staff.
    """

    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    # Any id-shaped segment reaches the view, so a malformed one is a JSON 404 too.
    lookup_value_regex = r"[^/]+"

    def published(self, queryset):
        """Return what readers who are not staff may see of ``queryset``."""
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if not sees_unpublished(self.request.user):
            queryset = self.published(queryset)
        return queryset

    @property
    def exporting(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) in EXPORT_FORMATS

    def list(self, request, *args, **kwargs):
        if not self.exporting:
            return super().list(request, *args, **kwargs)
        limit = settings.API_EXPORT_MAX_ROWS
        records = list(self.filter_queryset(self.get_queryset())[: limit + 1])
        if len(records) > limit:
            raise ValidationError(
                {
                    "format": [
                        f"More than {limit:,} records match: narrow the filters, or page "
                        "through the JSON list."
                    ]
                }
            )
        return Response(self.get_serializer(records, many=True).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for.
        if response.status_code >= 400 and self.exporting:
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        export_format = getattr(request.accepted_renderer, "format", None)
        if export_format in DOWNLOADS and response.status_code < 300:
            response["Content-Disposition"] = (
                f'attachment; filename="{self.basename}.{export_format}"'
            )
        return response
