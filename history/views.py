"""A record's History page: who changed what, when and through which channel.

``/<record's address>/history/`` for cities, networks, programmes, thematic streams,
pairings (with their participants and status changes), activities and sources. Signed-in
users who may see the record only (the history names the people who made the changes);
what they may not see is a 404, as on the record's own page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import DetailView

from core.views.records import VisibilityMixin, record_url
from history.reading import describe, record_events

HISTORY_PAGE_SIZE = 50


class RecordHistoryView(LoginRequiredMixin, VisibilityMixin, DetailView):
    """The history of one record; ``as_view(model=…)`` in each app's urls.py."""

    template_name = "history/record_history.html"
    context_object_name = "record"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        paginator = Paginator(record_events(record, self.request.user), HISTORY_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            {
                "title": f"History of {record}",
                "verbose_name": record._meta.verbose_name,
                "entries": describe(page.object_list, self.request.user, record=record),
                "page_obj": page,
                "paginator": paginator,
                "is_paginated": page.has_other_pages(),
                "record_url": record_url(record, "detail", self.kwargs),
            }
        )
        return context
