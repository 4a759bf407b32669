"""List pages: filter panel, search, sorting, pagination, result count, htmx partial.

Lists are written once here, so an app's list page is a class with a queryset, a
filterset and a table. The filterset is the API's too.
"""

from functools import partial

from django.db import connections, router
from django.forms import SelectMultiple
from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.generic import ListView

from core.api.shapes import QueryCounter, kept_slice, recall, shared
from core.counting import EstimatedCountPaginator
from core.views.choices import kept_for_anonymous
from core.views.records import VisibilityMixin
from core.views.widgets import CheckboxSelectMultiple, QuickSelectMultiple

API_ROOT = "/api/v1/"


def api_url(query: QueryDict, resource: str, fmt: str) -> str:
    """Return the API address of ``resource`` filtered like ``query``, in format ``fmt``."""
    query = query.copy()
    query.pop("page", None)
    query["format"] = fmt
    return f"{API_ROOT}{resource}/?{query.urlencode()}"


def only_params(query: QueryDict, names) -> QueryDict:
    """Return a copy of ``query`` with just the parameters in ``names``."""
    kept = query.copy()
    for key in list(kept):
        if key not in names:
            del kept[key]
    return kept


FILTER_HELP = {
    "city": "Type a city's name and pick a suggestion.",
    "month": "Activities taking place, at least partly, in that month (YYYY-MM, e.g. 2026-03).",
    "start_after": "",
    "start_before": "",
}

SEVERAL = "Hold Ctrl (⌘ on a Mac) to choose several."


def selected(form, name: str) -> list[str]:
    """Return the values the request gives filter ``name`` (slugs), as typed."""
    if not form.is_bound:
        return []
    return [value for value in form.data.getlist(name) if value]


# What narrows a filter panel's related choices to those that fit (the programmes app
# registers its own in ``ProgrammesConfig.ready()``: programmes, streams, networks).
FILTER_FORM_HOOKS: list = []


def register_filter_form_hook(hook) -> None:
    """Call ``hook(form, user)`` on every list page's filter form, after the base's changes."""
    if hook not in FILTER_FORM_HOOKS:
        FILTER_FORM_HOOKS.append(hook)


def prepare_filter_form(form, *, shown, checkboxes=(), widgets=None, user=None) -> None:
    """Make a filterset's form fit for a page (the API reads the same filters).

    Short choice lists become checkboxes, long ones (cities) a text box with suggestions,
    related records only those that fit the filter (``FILTER_FORM_HOOKS``), and help texts
    speak to people, not to programs.
    Countries are django-countries' list, which costs no query.
    """
    for name, make_widget in (widgets or {}).items():
        if name in form.fields:
            form.fields[name].widget = make_widget()
    for name in shown:
        field = form.fields.get(name)
        if field is None or name == "q":
            continue
        if name in checkboxes:
            field.widget = CheckboxSelectMultiple(choices=field.choices)
        elif type(field.widget) is SelectMultiple:
            field.widget = QuickSelectMultiple(attrs=field.widget.attrs, choices=field.choices)
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        default = SEVERAL if multiple and name not in checkboxes else ""
        field.help_text = FILTER_HELP.get(name, default)
    for hook in FILTER_FORM_HOOKS:
        hook(form, user)


def without_empty_params(query: QueryDict) -> QueryDict:
    """Return a copy of ``query`` without its empty values (``status=&q=``)."""
    kept = QueryDict(mutable=True)
    for key in query:
        values = [value for value in query.getlist(key) if value.strip()]
        if values:
            kept.setlist(key, values)
    return kept


class CleanQueryMixin:
    """Redirect a GET carrying empty parameters to the same page without them.

    A filter form sent without JavaScript carries every field, filled or not
    (``?q=&status=active&kind=&country=``): the address should say only what filters.
    With JavaScript, ``site.js`` drops the empty fields before htmx sends the form.
    """

    def get(self, request, *args, **kwargs):
        kept = without_empty_params(request.GET)
        if kept.urlencode() != request.GET.urlencode():
            query = kept.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().get(request, *args, **kwargs)


class KeptCountPaginator(EstimatedCountPaginator):
    """An estimated-count paginator whose count of a list is kept for anonymous readers
    until the records' next change (``kept_for_anonymous``), under ``count_key``."""

    def __init__(self, *args, count_key: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key, self.user = count_key, user

    @cached_property
    def _count(self) -> tuple[int, bool]:
        count = EstimatedCountPaginator._count.func
        return kept_for_anonymous(self.count_key, self.user, lambda: count(self))


class FilteredListView(CleanQueryMixin, VisibilityMixin, ListView):
    """A list page: filter panel, search, sortable columns, pages, count and export.

    Subclasses give ``model`` (or ``queryset``), ``filterset_class``, ``table_template``,
    ``api_resource`` (for the CSV export) and ``filter_fields`` (the filters shown in the
    panel; every filter of the filterset still works from the URL). An htmx request that
    targets ``#results`` gets only the results, so live filtering swaps just the table.
    """

    filterset_class = None
    table_template = ""
    api_resource = ""
    filter_fields: tuple[str, ...] = ()
    checkbox_fields: tuple[str, ...] = ("status", "kind")
    filter_widgets: dict = {}
    create_url_name = ""
    paginate_by = 25
    paginator_class = EstimatedCountPaginator  # long lists say "about N", uncounted
    template_name = "includes/list_page.html"
    results_template = "includes/list_results.html"
    # Keep anonymous readers' count of each filtered list until the records' next change:
    # only for a list whose records, and every record its filters read, advance that
    # version on their writes (core.views.choices).
    kept_count = False

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if not self.kept_count:
            return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page)
        query = self.request.GET.copy()
        for name in ("page", "ordering"):  # neither changes how many records there are
            query.pop(name, None)
        return KeptCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=f"count:{self.request.path}?{query.urlencode()}",
            user=self.request.user,
        )

    def visible_queryset(self):
        """Return the records the reader may see, before filters: anonymous readers' built
        once per list page and process (``core.api.shapes.shared``: the rule's sub-selects,
        the same for every one of them), a clone each request; others' built for them.

        The pages' rules name related records by joins, never by an id read from the data
        (a content type's, which a test database's flush renumbers): the key is the page
        and the database."""
        everything = self.model._default_manager.all()
        if self.request.user.is_authenticated or not hasattr(everything, "visible_to"):
            return super().get_queryset()  # a public model's records: no rule to build
        using = router.db_for_read(self.model)
        key = (type(self), "page", using, connections[using].settings_dict["NAME"])
        return shared(key, super().get_queryset)

    def get_queryset(self):
        queryset = self.visible_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        form = self.filterset.form
        self.adjust_filter_form(form)
        # Whether checking the filters reads the database (a record named by its slug):
        # then the rows are built for this request only, never kept.
        checked = form._errors is not None
        counter = QueryCounter()
        with connections[router.db_for_read(self.model)].execute_wrapper(counter):
            if self.filterset.is_bound and not self.filterset.is_valid():
                return queryset.none()
        key = None if checked or counter.count else self.rows_key()

        def build():
            return self.shape_rows(self.ordered(self.filterset.qs))

        if key is None:
            return build()
        rows = shared(key, build)
        if recall(key) is not None:  # kept (its building read nothing)
            # Its pages are read from statements compiled once (core.api.shapes.kept_slice).
            rows.kept_slice = partial(kept_slice, rows, key)
        return rows

    def ordered(self, queryset):
        if not self.request.GET.get("ordering"):
            # Explicit, because Meta.ordering is dropped once a list annotates counts; an
            # ordering the filterset chose stays (a search lists the best match first).
            queryset = queryset.order_by(*(queryset.query.order_by or self.model._meta.ordering))
        return queryset

    def shape_rows(self, queryset):
        """Return the rows the table reads from the filtered, ordered ``queryset``: the
        records themselves here; a subclass may read ``values()`` instead."""
        return queryset

    def rows_key(self) -> tuple | None:
        """Return the key under which an anonymous reader's rows are kept, or None.

        Kept (``core.api.shapes.shared``: built once per query string, page aside, and
        day, a clone each request, never when checking or building the filters read the
        database) only for a
        page whose rows are ``values()`` (``shape_rows``), which its statements compiled
        once can give; records with their prefetches are read per request.
        """
        if self.request.user.is_authenticated or not self.rows_are_values:
            return None
        using = router.db_for_read(self.model)
        filters = tuple(sorted((name, tuple(values)) for name, values in self.request.GET.lists()))
        filters = tuple(item for item in filters if item[0] != "page")
        return (
            type(self),
            "rows",
            using,
            connections[using].settings_dict["NAME"],
            tuple(sorted(self.kwargs.items())),
            filters,
            timezone.localdate(),
        )

    rows_are_values = False  # shape_rows gives values(): the rows may be kept (rows_key)

    def adjust_filter_form(self, form):
        prepare_filter_form(
            form,
            shown=self.filter_fields,
            checkboxes=self.checkbox_fields,
            widgets=self.filter_widgets,
            user=self.request.user,
        )

    def is_results_request(self) -> bool:
        htmx = self.request.htmx  # django-htmx's HtmxMiddleware
        return bool(htmx) and not htmx.history_restore_request and htmx.target == "results"

    def get_template_names(self):
        if self.is_results_request():
            return [self.results_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        form = self.filterset.form
        shown = [form[name] for name in self.filter_fields if name in form.fields]
        # Filters set in the URL but not shown in the panel travel on as hidden inputs.
        query = without_empty_params(self.request.GET)
        hidden = [
            (key, value)
            for key in query
            if key not in self.filter_fields and key not in {"q", "page"}
            for value in query.getlist(key)
        ]
        active = [name for name in self.filter_fields if name != "q" and name in query]
        paginator = context.get("paginator")
        context.update(
            {
                "title": opts.verbose_name_plural.capitalize(),
                "verbose_name": opts.verbose_name,
                "verbose_name_plural": opts.verbose_name_plural,
                "filterset": self.filterset,
                "filter_form": form,
                "filter_shown": shown,
                "filter_hidden": hidden,
                "active_filter_count": len(active),
                "results_only": self.is_results_request(),
                "search_field": form["q"] if "q" in form.fields else None,
                "result_count": paginator.count if paginator else len(context["object_list"]),
                "result_count_exact": paginator.count_is_exact if paginator else True,
                "table_template": self.table_template,
                "export_url": api_url(self.request.GET, self.api_resource, "csv"),
                "export_xlsx_url": api_url(self.request.GET, self.api_resource, "xlsx"),
                "list_url": self.request.path,
                "create_url": reverse(self.create_url_name) if self.create_url_name else "",
                "create_permission": (
                    f"{opts.app_label}.add_{opts.model_name}" if self.create_url_name else ""
                ),
            }
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
