"""API viewsets for sources: reading them, bringing documents in, citing them."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.views import RegistryViewSet
from core.views.records import may
from sources.api.serializers import (
    CitationAddSerializer,
    CitationCreatedSerializer,
    SourceAddSerializer,
    SourceMatchSerializer,
    SourceSerializer,
    SourceTextSerializer,
)
from sources.filtersets import SourceFilterSet
from sources.models import Source
from sources.querysets import cited_models, managed_programme_ids, may_add_source
from sources.services import QuoteNotFound, citation_create, source_add
from sources.views import MAY_NOT_ADD, file_response
from themes.api import themes_prefetch

SEARCH_SIZE = 50
NOT_YOUR_PROGRAMME = (
    "Add sources to the programmes your network runs or partners in: give one of those "
    "programmes' ids as `programme`."
)


def refusal(error: ModelValidationError) -> ValidationError:
    """Return a service's ValidationError as the API's 400 (field → messages)."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"detail": error.messages})


class SourceViewSet(RegistryViewSet):
    lean = True  # JSON reads without model instances (core.api.lean)
    queryset = (
        Source.objects.select_related("programme")
        .prefetch_related(themes_prefetch())
        .defer("text", "search_vector")
    )
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def get_parsers(self):
        # A document comes as multipart (a file) or JSON (its text); other writes are JSON.
        if getattr(self, "action", None) == "create" or (
            self.request is not None and self.request.method == "POST"
        ):
            return [*super().get_parsers(), MultiPartParser(), FormParser()]
        return super().get_parsers()

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        summary="Add a source",
        description="Upload a document (multipart `file`) or send its `text` (JSON); its "
        "text is extracted and kept. The same file twice is one source: the existing one "
        "is answered with 200 instead of 201. A file that cannot be read is a 400 saying "
        "why.",
        request={
            "multipart/form-data": SourceAddSerializer,
            "application/json": SourceAddSerializer,
        },
        responses={
            201: SourceSerializer,
            200: OpenApiResponse(SourceSerializer, description="The document was there."),
        },
    )
    def create(self, request, *args, **kwargs):
        user = request.user
        if not may_add_source(user):
            raise PermissionDenied(MAY_NOT_ADD)
        serializer = SourceAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = data["programme"]
        if not user.has_perm("sources.add_source") and (
            programme is None or programme.pk not in managed_programme_ids(user)
        ):
            raise PermissionDenied(NOT_YOUR_PROGRAMME)
        upload = data.get("file")
        try:
            added = source_add(
                user=user,
                title=data["title"],
                data=upload.read() if upload is not None else None,
                file_name=upload.name if upload is not None else "",
                text=data.get("text", ""),
                kind=data["kind"],
                publisher=data["publisher"],
                published_on=data["published_on"],
                published_precision=data["published_precision"],
                url=data["document_url"],
                programme=programme,
                is_published=data["is_published"],
            )
        except ModelValidationError as error:
            raise refusal(error) from error
        source = added.source
        if not added.created and not self.get_queryset().filter(pk=source.pk).exists():
            raise ValidationError(
                {
                    "file" if upload is not None else "text": [
                        "This document is in the registry already, in a programme you "
                        "cannot see. Ask an administrator to share it with your programme."
                    ]
                }
            )
        return Response(
            SourceSerializer(source, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if added.created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="A source's text",
        description="The text extracted from the document, whole and page by page.",
        responses=SourceTextSerializer,
        filters=False,
    )
    @action(
        detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer], filter_backends=[]
    )
    def text(self, request, *args, **kwargs):
        source = self.get_object()
        source = Source.objects.only("id", "title", "content_type", "ocr_pages", "text").get(
            pk=source.pk
        )
        return Response(SourceTextSerializer(source).data)

    @extend_schema(
        summary="Download a source's file",
        description="The uploaded file as it was uploaded, to whoever may read the source.",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")},
        filters=False,
    )
    @action(
        detail=True, methods=["get"], filter_backends=[], renderer_classes=[renderers.JSONRenderer]
    )
    def file(self, request, *args, **kwargs):
        return file_response(self.get_object(), NotFound)

    @extend_schema(
        summary="Search the sources' text",
        description="Documents whose title or text matches `q` (web-search syntax: words, "
        '"a phrase", or, -not), best first, each with the passage that matches.',
        parameters=[OpenApiParameter("q", str, required=True, description="What to find.")],
        responses=SourceMatchSerializer(many=True),
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def search(self, request, *args, **kwargs):
        text = request.query_params.get("q", "").strip()
        if not text:
            raise ValidationError({"q": ["Give the words to find as `q`."]})
        matches = self.get_queryset().matching(text)[:SEARCH_SIZE]
        return Response(SourceMatchSerializer(matches, many=True).data)


class CitationCreateView(APIView):
    """Cite a source for any record: the quote must be in the source's text."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        summary="Cite a source for a record",
        description="The quote is looked up in the source's text (ignoring whitespace, "
        "line breaks, hyphenation at line ends and case); the citation keeps it as the "
        "source has it, with its page and line. A quote that is not there is a 400 with "
        "the closest passage found (`closest`).",
        request=CitationAddSerializer,
        responses={201: CitationCreatedSerializer, 200: CitationCreatedSerializer},
        operation_id="citations_create",
        tags=["citations"],
    )
    def post(self, request):
        serializer = CitationAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        source = Source.objects.visible_to(user).filter(pk=data["source"]).first()
        if source is None:
            raise ValidationError({"source": ["No source with this id that you may read."]})
        model = next(m for m in cited_models() if m._meta.model_name == data["record_type"])
        records = model._default_manager.all()
        if hasattr(records, "visible_to"):
            records = records.visible_to(user)
        record = records.filter(pk=data["record"]).first()
        if record is None:
            raise ValidationError({"record": [f"No {model._meta.verbose_name} with this id."]})
        if not may(user, "change", record):
            raise PermissionDenied(f"Only those who may edit {record} can cite sources for it.")
        content_type = ContentType.objects.get_for_model(model)
        before = set(
            source.citations.filter(content_type=content_type, object_id=record.pk).values_list(
                "pk", flat=True
            )
        )
        try:
            citation = citation_create(source=source, record=record, quote=data["quote"])
        except QuoteNotFound as error:
            body = {"quote": error.messages}
            if error.passage:
                body["closest"] = {"passage": error.passage, "locator": error.locator}
            raise ValidationError(body) from error
        except ModelValidationError as error:
            raise refusal(error) from error
        created = citation.pk not in before
        return Response(
            CitationCreatedSerializer(citation).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
