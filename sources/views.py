"""Pages about sources: the documents the registry cites, and what each one supports."""

from django.db.models import Count

from core.views.lists import FilteredListView
from core.views.records import RecordDetailView
from sources.filtersets import SourceFilterSet
from sources.models import Citation, Source


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    table_template = "sources/source_table.html"
    api_resource = "sources"
    filter_fields = ("q", "kind", "is_verified", "theme")

    def get_queryset(self):
        return super().get_queryset().annotate(citation_count=Count("citations"))


class SourceDetailView(RecordDetailView):
    model = Source
    template_name = "sources/source_detail.html"

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
        return context
