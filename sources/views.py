"""Pages about sources: the documents the registry cites, adding one, and citing one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.generic import DetailView, FormView

from core.views.lists import FilteredListView
from core.views.records import (
    RecordDetailView,
    VisibilityMixin,
    add_errors,
    may,
    permission_denied,
    record_url,
)
from sources.filtersets import SourceFilterSet
from sources.forms import CitationAddForm, SourceAddForm
from sources.models import Citation, Source
from sources.querysets import may_add_source, may_manage_source
from sources.services import citation_create, source_add, source_publish

MAY_NOT_ADD = (
    "Only programme officers and administrators can add sources: ask an officer of a "
    "programme your network runs or partners in, or an administrator."
)


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    table_template = "sources/source_table.html"
    api_resource = "sources"
    filter_fields = ("q", "kind", "is_verified", "theme")
    create_url_name = "sources:source_add"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .defer("text", "search_vector")
            .annotate(citation_count=Count("citations"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Officers add sources without Django's model-wide permission (sources.querysets).
        context["may_create"] = may_add_source(self.request.user)
        return context


class SourceDetailView(RecordDetailView):
    model = Source
    template_name = "sources/source_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("programme").defer("search_vector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citations = (
            Citation.objects.filter(source=self.object)
            .visible_to(self.request.user)
            .select_related("content_type")
            .prefetch_related("record")
            .order_by("content_type__model", "object_id", "id")
        )
        context["citations"] = [citation for citation in citations if citation.record]
        # Pages added by apps above this one (intake's proposals), when installed.
        context["proposals_url"] = record_url(self.object, "proposals", self.kwargs)
        context["may_manage"] = may_manage_source(self.request.user, self.object)
        return context


class SourceAddView(LoginRequiredMixin, FormView):
    """Bring a document in: upload or paste, extract its text, keep it as a source."""

    form_class = SourceAddForm
    template_name = "sources/source_add.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_add_source(request.user):
            return permission_denied(
                request, reason=MAY_NOT_ADD, back_url="/sources/", back_label="Back to the sources"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_megabytes"] = settings.SOURCE_MAX_UPLOAD_BYTES // (1024 * 1024)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data["file"]
        try:
            added = source_add(
                user=self.request.user,
                title=data["title"],
                data=upload.read() if upload else None,
                file_name=upload.name if upload else "",
                text=data["text"],
                kind=data["kind"],
                publisher=data["publisher"],
                published_on=data["published_on"],
                published_precision=data["published_precision"],
                url=data["url"],
                programme=data["programme"],
                is_published=data["is_published"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        source = added.source
        if not added.created:
            if not Source.objects.visible_to(self.request.user).filter(pk=source.pk).exists():
                form.add_error(
                    "file" if upload else "text",
                    "This document is in the registry already, in a programme you cannot "
                    "see. Ask an administrator to share it with your programme.",
                )
                return self.form_invalid(form)
            messages.info(self.request, "This document is in the registry already: here it is.")
        else:
            messages.success(self.request, f"“{source.title}” was added.")
        return HttpResponseRedirect(source.get_absolute_url())


class SourcePublishView(LoginRequiredMixin, VisibilityMixin, DetailView):
    """Publish a programme's source, or take it back (its officers and admins; POST only)."""

    model = Source
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        source = self.get_object()
        if not may_manage_source(request.user, source):
            return permission_denied(
                request,
                reason="Only the officers of this source's programme, and administrators, "
                "publish it.",
                back_url=source.get_absolute_url(),
                back_label=f"Back to {source}",
            )
        published = request.POST.get("published") == "yes"
        source_publish(source=source, published=published)
        messages.success(
            request,
            "Published: everyone may read it now."
            if published
            else "Shown to its programme's officers only.",
        )
        return HttpResponseRedirect(source.get_absolute_url())


def file_response(source: Source, missing) -> FileResponse:
    """Return the source's uploaded file as a download; ``missing(message)`` otherwise."""
    if not source.file:
        raise missing("This source has no uploaded file: read its text instead.")
    try:
        handle = source.file.open("rb")
    except OSError as error:
        raise missing("The file is missing from the storage.") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=source.file_name or source.file.name.rsplit("/", 1)[-1],
        content_type=source.content_type or "application/octet-stream",
    )


class SourceFileView(VisibilityMixin, DetailView):
    """The uploaded file, to whoever may see its source (the rest get a 404)."""

    model = Source

    def get(self, request, *args, **kwargs):
        return file_response(self.get_object(), Http404)


class RecordCiteView(LoginRequiredMixin, VisibilityMixin, DetailView):
    """Cite a source on a record's page: choose it, give the quote; registered for every
    cited model (``SourcesConfig.ready()``)."""

    template_name = "sources/record_cite.html"
    context_object_name = "record"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        if not may(request.user, "change", self.object):
            return permission_denied(
                request,
                reason=f"Only those who may edit {self.object} can cite sources for it.",
                back_url=self.object.get_absolute_url(),
                back_label=f"Back to {self.object}",
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.context(CitationAddForm(user=request.user)))

    def post(self, request, *args, **kwargs):
        form = CitationAddForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                citation_create(
                    source=form.cleaned_data["source"],
                    record=self.object,
                    quote=form.cleaned_data["quote"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "The quote was found in the source and cited.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.context(form))

    def context(self, form) -> dict:
        return self.get_context_data(
            form=form,
            heading=f"Cite a source for {self.object}",
            verbose_name=self.object._meta.verbose_name,
        )
