"""The base viewset every resource uses.

Visibility: each list and detail shows only what ``core.visibility`` lets the user
see (the pages use the same rule); the rest is 404.

No lost updates: a detail response carries a weak ``ETag``, ``W/"<modified>"`` (as
NetBox's ``ETagMixin``). A PUT, PATCH or DELETE may send
it back in ``If-Match``; if the record changed since, the answer is 412 with what changed
meanwhile, and nothing is written. Every write locks the record's row (SELECT … FOR
UPDATE) for its transaction, with or without ``If-Match``, so two writers never
interleave; without ``If-Match`` the later write simply applies on top of the earlier one.
"""

import orjson
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, router, transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.api.jsonrenderer import FastJSONRenderer
from core.api.lean import reader_for
from core.api.permissions import check_target
from core.api.renderers import CSVRenderer, GeoJSONRenderer, XLSXRenderer, features_statement
from core.api.schema import RegistryAutoSchema
from core.api.serializers import URLTemplate, forget_prefetched, origin_of
from core.api.shapes import lean_rows
from core.concurrency import (
    changes_since,
    etag_at,
    etag_of,
    lock_for_update,
    parse_version,
    version_in_etag,
    version_of,
)
from core.display import readable_changes
from core.views.choices import cached_answer
from core.visibility import visible_to

WRITES = ("PUT", "PATCH", "DELETE")
# An anonymous reader's map data is kept up to this size (about a thousand features).
KEPT_FEATURES_BYTES = 1 << 20
PRECONDITION_FAILED = (
    "The record changed since you read it (your If-Match is not its ETag): nothing was "
    "written. `changes` lists what changed meanwhile; read the record again, then retry "
    "with its new ETag."
)


class PreconditionFailed(Exception):
    """Answered as 412 with ``body`` (see ``RegistryViewSet.handle_exception``)."""

    def __init__(self, body):
        super().__init__(body["detail"])
        self.body = body


class ConflictChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    before_display = serializers.CharField()
    after_display = serializers.CharField()


class PreconditionFailedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    etag = serializers.CharField(help_text="The record's current ETag.")
    changes = ConflictChangeSerializer(many=True, help_text="What changed meanwhile.")


class ConditionalSchema(RegistryAutoSchema):
    """Document ``If-Match`` and the 412 answer on writes to one record."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITES and self._is_a_record():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The ETag of the version you read: the write is refused "
                    "with 412 if the record changed since. Optional.",
                ),
            ]
        return parameters

    def _is_a_record(self) -> bool:
        return getattr(self.view, "action", None) in ("update", "partial_update", "destroy")

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in WRITES and self._is_a_record():
            response = self._get_response_for_code(
                PreconditionFailedSerializer,
                "412",
                media_types=["application/json"],
                direction=direction,
            )
            response["description"] = (
                "The record changed since the version in If-Match; nothing was written."
            )
            responses.setdefault("412", response)
        return responses


class RegistryViewSet(viewsets.ModelViewSet):
    """List, detail, history and writes of one resource, in JSON and the export formats.

    Subclasses set ``queryset``, ``serializer_class`` and ``filterset_class``.
    """

    # This docstring is the API schema's description of operations that give none: the
    # ``history`` action is added by the history app (``register_record_action`` below, in
    # ``HistoryConfig.ready()``), as the base imports no app.

    renderer_classes = [FastJSONRenderer, CSVRenderer, XLSXRenderer]
    # Any id-shaped segment reaches the view, so a malformed one is a JSON 404 too.
    lookup_value_regex = r"[^/]+"
    schema = ConditionalSchema()

    def get_queryset(self):
        return visible_to(self.request.user, super().get_queryset())

    # The same for every anonymous reader of a list with the same URL keywords: lists
    # may share it (core.api.shapes). A viewset overriding get_queryset does not say so.
    get_queryset.shared_by_anonymous_readers = True

    @property
    def exporting(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "whole_list", False)

    def lean_reader(self):
        """Return the lean reader for a JSON read of this resource, or None (``core.api.lean``)."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if getattr(renderer, "format", None) != "json" or self.request.method not in (
            "GET",
            "HEAD",
        ):
            return None
        return reader_for(self)

    def list(self, request, *args, **kwargs):
        if not self.exporting:
            reader = self.lean_reader()
            if reader is None:
                return super().list(request, *args, **kwargs)
            page = self.paginate_queryset(lean_rows(self, reader, origin_of(request)))
            return self.get_paginated_response(reader.shape(page, request))
        queryset = self.filter_queryset(self.get_queryset())
        if self.record_kwarg:
            queryset = queryset.filter(**{self.record_kwarg: self.kwargs[self.record_kwarg]})
            if not queryset.exists():
                raise NotFound("No such record, or it is not published.")
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            return Response(self.geojson(queryset))
        return Response(self.get_serializer(self.export_rows(queryset), many=True).data)

    def geojson(self, queryset) -> dict:
        """Return the filtered ``queryset`` as a GeoJSON FeatureCollection (map data)."""
        raise NotImplementedError

    @classmethod
    def map_data_view(cls, basename: str, record_kwarg: str | None = None):
        """Return a view of the filtered list as GeoJSON, for the site's own map page.

        Routed at a page's address (``/map/…``), not under ``/api/``, and not rate-limited:
        the map's data is part of the page, as a list page's rows are, and pages are not
        rate-limited. An office of many people behind one address would otherwise use up
        the anonymous API limit with the map alone. Telling the site's own requests apart
        from a partner's under one address is not possible soundly (a script can fetch the
        page and copy its cookie and CSRF token), so the addresses differ instead.
        With ``record_kwarg`` (``"pk"``, ``"slug"``), a record page's download: that one
        record (404 if it is not visible).
        """
        return cls.as_view(
            {"get": "list"},
            basename=basename,  # as the router names it: records link to their API address
            renderer_classes=[GeoJSONRenderer],
            throttle_classes=[],
            export_limit=settings.MAP_MAX_ROWS,
            record_kwarg=record_kwarg,
        )

    def record_urls(self, web_route: str, web_kwarg: str = "pk") -> tuple:
        """Return the ``URLTemplate``s of a record's API address (by id) and web page."""
        origin = origin_of(self.request)
        return (
            URLTemplate(f"api:{self.basename}-detail", "pk", origin),
            URLTemplate(web_route, web_kwarg, origin),
        )

    # None: settings.API_EXPORT_MAX_ROWS; the map's own data view sets MAP_MAX_ROWS.
    export_limit = None
    # A record page's GeoJSON download: the URL keyword naming its one record.
    record_kwarg = None

    @property
    def rows_limit(self) -> int:
        """The most records an export (or the map's data) takes."""
        return self.export_limit or settings.API_EXPORT_MAX_ROWS

    def export_rows(self, queryset) -> list:
        """Return the rows of ``queryset``, or 400 if there are more than an export takes."""
        records = list(queryset[: self.rows_limit + 1])
        if len(records) > self.rows_limit:
            self.refuse_too_many()
        return records

    def written_features(self, chosen, feature: str, urls: tuple, steps: str = "", **kw) -> dict:
        """Return the GeoJSON FeatureCollection of ``chosen`` (a ``values()`` queryset, in
        the list's order) whose features PostgreSQL writes (``features_statement``): each
        ``feature`` given ``urls`` (the record's API and web addresses, as head and tail
        pairs), after ``steps`` (with ``kw["step_params"]``) over ``kw["rows"]``. 400 when
        more records match than an export takes.

        An anonymous reader's answer is kept until the records' next change
        (``cached_answer``: the map page's data is kept the same way, under the same
        version), per address and day (a filter may compare with today), when its
        features' text is under ``KEPT_FEATURES_BYTES``.
        """

        def build() -> tuple[str, int]:
            sql, params = chosen.query.sql_with_params()
            statement = features_statement(sql, feature, steps, kw.get("rows", "chosen"))
            arguments = (*params, self.rows_limit + 1, *kw.get("step_params", ()))
            parts = [part for url in urls for part in (url.head, url.tail)]
            with connections[chosen.db].cursor() as cursor:
                cursor.execute(statement, (*arguments, *parts))
                return cursor.fetchone()

        if self.request.user.is_authenticated:
            features, count = build()
        else:
            address = self.request.build_absolute_uri()
            key = f"features:{self.basename}:{address}:{timezone.localdate()}"
            features, count = cached_answer(
                key, build, keep=lambda answer: len(answer[0] or "") <= KEPT_FEATURES_BYTES
            )
        if count > self.rows_limit:
            self.refuse_too_many()
        return {"type": "FeatureCollection", "features": orjson.Fragment(features)}

    def refuse_too_many(self):
        """Answer 400: more records match than an export takes."""
        raise ValidationError(
            {
                "format": [
                    f"More than {self.rows_limit:,} records match: narrow the filters, or "
                    "page through the JSON list."
                ]
            }
        )

    # --- ETag and If-Match ------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        reader = self.lean_reader()
        if reader is not None:
            return self.lean_retrieve(reader)
        instance = self.get_object()
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            return Response(self.geojson(self.get_queryset().filter(pk=instance.pk)))
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_of(instance)
        return response

    def lean_retrieve(self, reader):
        """One record through the lean path: no filter form (a detail has no filters)."""
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        try:
            if self.request.user.is_authenticated or self.lookup_field != "pk":
                filtered = self.get_queryset().filter(**{self.lookup_field: lookup})
                rows = list(reader.rows(filtered, self.request.user, origin_of(self.request)))
            else:
                # Anonymous readers, the most of them, all see the same: one statement.
                prepared = reader.prepared(
                    lambda pk: self.get_queryset().filter(pk=pk), router.db_for_read(reader.model)
                )
                rows = prepared.rows(int(lookup), origin_of(self.request))
        except (TypeError, ValueError, DjangoValidationError, EmptyResultSet):
            # EmptyResultSet: the reader may see no record of this kind at all (people).
            rows = []
        if not rows:
            raise Http404
        row = rows[0]
        response = Response(reader.shape(rows, self.request)[0])
        if "modified" in row:
            response["ETag"] = etag_at(row["modified"])
        return response

    def locked_object(self):
        """Return the record, its row locked for this transaction, after the checks.

        404 if the user may not see it, 403 if they may not write it, 412 if If-Match
        names another version.
        """
        instance = self.get_object()
        current = lock_for_update(instance, None)
        if version_of(current) != version_of(instance):
            # Saved by someone else between the read and the lock: use what they saved.
            instance = self.get_object()
        self.check_if_match(instance)
        return instance

    def check_if_match(self, instance) -> None:
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return
        current = version_of(instance)
        sent = [version_in_etag(tag) for tag in header.split(",")]
        if current in sent:
            return
        # The version the client read is in its tag: what changed since is in the history.
        read = next((version for version in sent if parse_version(version)), None)
        changes = changes_since(instance, read) if read else []
        raise PreconditionFailed(
            {
                "detail": PRECONDITION_FAILED,
                "etag": etag_of(instance),
                "changes": [
                    vars(change)
                    for change in readable_changes(self.request.user, instance, changes)
                ],
            }
        )

    # A write's answer is read inside its transaction: once it commits, nothing may touch
    # the database (a lost connection would answer a saved record with an error, and the
    # client would send it again). If reading the answer fails, the write is undone.

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
            data = serializer.data
        return Response(
            data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data)
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            # A write that changes nothing writes nothing: same modified, ETag and history.
            if serializer.changes_anything():
                self.perform_update(serializer)
                forget_prefetched(instance)
            data = serializer.data
        response = Response(data)
        response["ETag"] = etag_of(serializer.instance)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked_object()
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, serializer):
        check_target(self.request, getattr(serializer, "_checked_instance", None))
        serializer.save()

    def perform_update(self, serializer):
        check_target(self.request, getattr(serializer, "_checked_instance", None))
        serializer.save()

    def handle_exception(self, exc):
        if isinstance(exc, PreconditionFailed):
            return Response(exc.body, status=status.HTTP_412_PRECONDITION_FAILED)
        return super().handle_exception(exc)

    def get_renderers(self):
        # A write answers with the record in JSON: ``?format=`` chooses how lists and
        # records are read, and a write asked for another format is a 404 before it runs.
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return [FastJSONRenderer()]
        return super().get_renderers()

    def let_go(self, response) -> None:
        """Break the cycles a rendered answer sits in, so that it is freed once sent.

        The view and its request refer to each other, the response to the view and to
        itself (its renderer context): cycles only Python's full garbage collection
        frees, which runs rarely, so a page's rows, its JSON and the response stayed in
        memory long after the answer was sent (a cursor walk of 500-row pages grew a
        worker by 200 MB). Once rendered, the answer needs nothing of the view.
        """
        self.__dict__.clear()
        context = getattr(response, "renderer_context", None)
        if context:
            context.pop("response", None)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for.
        if response.status_code >= 400 and self.exporting:
            request.accepted_renderer = FastJSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(self.let_go)
        renderer = request.accepted_renderer
        if getattr(renderer, "attachment", False) and response.status_code < 300:
            response["Content-Disposition"] = (
                f'attachment; filename="{self.basename}.{renderer.format}"'
            )
        return response


def register_record_action(name: str, view) -> None:
    """Give every resource's viewset the action ``view`` (a DRF ``@action``) as ``name``.

    Call it before the router builds its routes (they list each viewset's actions).
    """
    setattr(RegistryViewSet, name, view)
