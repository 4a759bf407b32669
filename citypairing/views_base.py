"""What every app's pages share: visibility, permissions, filtered lists, record forms.

Lists are written once here (filterset + sorting + pagination + result count + the htmx
partial), so an app's list page is a class with a queryset, a filterset and a table.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms import CheckboxSelectMultiple, SelectMultiple
from django.forms.utils import flatatt
from django.http import HttpResponseRedirect, QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from citypairing import conflicts
from citypairing.concurrency import ConflictError, changed_fields, lock_for_update, version_of
from citypairing.counting import EstimatedCountPaginator
from citypairing.history import readable_changes
from citypairing.pages import permission_denied
from citypairing.visibility import visible_to

__all__ = ["visible_to"]  # the pages' visibility rule is the API's (citypairing.visibility)

API_ROOT = "/api/v1/"
ACTION_VERBS = {"add": "add", "change": "edit", "delete": "delete"}
NOT_YOUR_PROGRAMME = (
    "You can save records only in the programmes your network runs or partners in: "
    "choose one of those programmes, or ask an administrator."
)


def api_url(query: QueryDict, resource: str, fmt: str) -> str:
    """Return the API address of ``resource`` filtered like ``query``, in format ``fmt``."""
    query = query.copy()
    query.pop("page", None)
    query["format"] = fmt
    return f"{API_ROOT}{resource}/?{query.urlencode()}"


def list_url(model) -> str:
    """Return the address of a model's list page (``<app>:<model>_list``)."""
    opts = model._meta
    return reverse(f"{opts.app_label}:{opts.model_name}_list")


def only_params(query: QueryDict, names) -> QueryDict:
    """Return a copy of ``query`` with just the parameters in ``names``."""
    kept = query.copy()
    for key in list(kept):
        if key not in names:
            del kept[key]
    return kept


def add_errors(form, error: ValidationError, *, fallback_field=None) -> None:
    """Show a ValidationError from a model or service next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(fallback_field, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else fallback_field, messages_)


FILTER_HELP = {
    "city": "Type a city's name and pick a suggestion.",
    "month": "Activities taking place, at least partly, in that month (YYYY-MM, e.g. 2026-03).",
    "start_after": "",
    "start_before": "",
}
SEVERAL = "Hold Ctrl (⌘ on a Mac) to choose several."


def countries_in_use() -> list[tuple[str, str]]:
    """Return (code, name) of the countries the registry has cities in, by name."""
    from django_countries import countries

    from cities.models import City

    codes = City.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


class QuickSelectMultiple(SelectMultiple):
    """A multiple select whose options are written in one pass.

    Django renders every <option> through a template of its own: at the few hundred
    countries and programmes of a filter panel that was most of a list page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select multiple{}>{}</select>", flatatt(attrs), options)


def selected(form, name: str) -> list[str]:
    """Return the values the request gives filter ``name`` (slugs), as typed."""
    if not form.is_bound:
        return []
    return [value for value in form.data.getlist(name) if value]


def use_slug_box(field, help_text: str) -> None:
    """Give a filter by slug a text box, for when its list of options is too long."""
    from cities.forms import RepeatedTextInput

    field.widget = RepeatedTextInput(attrs={"autocomplete": "off"}, extra=0, item_label="Slug")
    field.help_text = help_text


def narrow_related_choices(form, user) -> None:
    """Offer only the programmes, streams and networks that make sense for the filter.

    Every option of a select is HTML: at a thousand streams and networks the panel was
    most of the page. Programmes (a few hundred at most) stay a list, of those the user may
    see; streams and networks list those of the chosen programmes, or else take a slug
    typed into a text box. Only the widgets change: any slug in the URL still filters.
    """
    from programmes.models import Network, Programme, ThematicStream

    programmes = visible_to(user, Programme.objects.all())
    if "programme" in form.fields:
        form.fields["programme"].widget.choices = list(
            programmes.order_by("name").values_list("slug", "name")
        )
    chosen_slugs = selected(form, "programme")
    chosen = programmes.filter(slug__in=chosen_slugs)
    narrowing = {
        "stream": (
            ThematicStream.objects.filter(programme__in=chosen).order_by("programme", "order"),
            "Choose a programme to pick from its streams, or type a stream's slug.",
        ),
        "network": (
            Network.objects.filter(programmes__in=chosen).distinct().order_by("name"),
            "Choose a programme to pick from its networks, or type a network's slug.",
        ),
    }
    for name, (options, help_text) in narrowing.items():
        if name not in form.fields:
            continue
        if not chosen_slugs:
            use_slug_box(form.fields[name], help_text)
            continue
        slugs = selected(form, name)
        if slugs:
            # The typed slugs stay chosen, if they name a record the user may see.
            options = visible_to(
                user,
                options.model.objects.filter(Q(pk__in=options.values("pk")) | Q(slug__in=slugs)),
            )
        form.fields[name].widget.choices = list(options.values_list("slug", "name"))


def prepare_filter_form(form, *, shown, checkboxes=(), widgets=None, user=None) -> None:
    """Make a filterset's form fit for a page (the API reads the same filters).

    Short choice lists become checkboxes, long ones (cities) a text box with suggestions,
    programmes, streams and networks only those that fit the filter
    (``narrow_related_choices``), and help texts speak to people, not to programs.
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
    narrow_related_choices(form, user)


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


class VisibilityMixin:
    """Show only the records the user may see (``citypairing.visibility``); others 404."""

    def get_queryset(self):
        return visible_to(self.request.user, super().get_queryset())


class RegistryPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Allow a write only to a logged-in user who holds the permission for it.

    ``permission_action`` is add, change or delete. A user holds it model-wide (Django's
    permissions, superusers) or for the one record (``programmes.rules``: an officer edits
    the pairings and activities of their own programmes).
    """

    permission_action = "change"

    def get_permission_required(self):
        opts = self.model._meta
        return [f"{opts.app_label}.{self.permission_action}_{opts.model_name}"]

    def get_permission_object(self):
        """Return the record the permission is about (None when adding one)."""
        if self.permission_action == "add":
            return None
        if not hasattr(self, "_permission_object"):
            self._permission_object = self.get_object()
        return self._permission_object

    def get_object(self, queryset=None):
        if queryset is None and getattr(self, "_permission_object", None) is not None:
            return self._permission_object
        return super().get_object(queryset)

    def has_permission(self):
        record = self.get_permission_object()
        return all(
            self.request.user.has_perm(permission)
            or (record is not None and self.request.user.has_perm(permission, record))
            for permission in self.get_permission_required()
        )

    def handle_no_permission(self):
        """Send visitors to the login page; tell a signed-in user why not, and where to go."""
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        record = self.get_permission_object()
        if record is not None:
            back_url, back_label = record.get_absolute_url(), f"Back to {record}"
        else:
            back_url = list_url(self.model)
            back_label = f"Back to the {self.model._meta.verbose_name_plural}"
        return permission_denied(
            self.request,
            reason=self.permission_denied_reason(record),
            back_url=back_url,
            back_label=back_label,
        )

    def permission_denied_reason(self, record) -> str:
        """Say in words who may do what this user may not (``programmes.rules``)."""
        opts = self.model._meta
        verb = ACTION_VERBS[self.permission_action]
        plural = opts.verbose_name_plural
        if not any(field.name == "programme" for field in opts.fields):
            return (
                f"Only administrators, and users an administrator has allowed to, "
                f"can {verb} {plural}."
            )
        if record is None or record.programme is None:
            return (
                f"Only programme officers can {verb} {plural}, in the programmes their "
                f"network runs or partners in; administrators can {verb} any."
            )
        return (
            f"Only officers of the networks running {record.programme} can {verb} its "
            f"{plural}; administrators can {verb} any."
        )

    def may_save(self, record) -> bool:
        """Return True if the user may keep ``record`` as the form made it.

        An officer may add pairings and activities, but only in their own programmes.
        """
        opts = record._meta
        permission = f"{opts.app_label}.change_{opts.model_name}"
        user = self.request.user
        return user.has_perm(permission) or user.has_perm(permission, record)


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

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        self.adjust_filter_form(self.filterset.form)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return queryset.none()
        queryset = self.filterset.qs
        if not self.request.GET.get("ordering"):
            # Explicit, because Meta.ordering is dropped once a list annotates counts; an
            # ordering the filterset chose stays (a search lists the best match first).
            queryset = queryset.order_by(*(queryset.query.order_by or self.model._meta.ordering))
        return queryset

    def adjust_filter_form(self, form):
        prepare_filter_form(
            form,
            shown=self.filter_fields,
            checkboxes=self.checkbox_fields,
            widgets=self.filter_widgets,
            user=self.request.user,
        )

    def is_results_request(self) -> bool:
        headers = self.request.headers
        return (
            headers.get("HX-Request") == "true"
            and headers.get("HX-History-Restore-Request") != "true"
            and headers.get("HX-Target") == "results"
        )

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


def record_url(record, suffix: str, kwargs: dict) -> str:
    """Return the address of ``<app>:<model>_<suffix>`` with ``kwargs``, or "" if none."""
    opts = record._meta
    try:
        return reverse(f"{opts.app_label}:{opts.model_name}_{suffix}", kwargs=kwargs)
    except NoReverseMatch:
        return ""


def may(user, action: str, record) -> bool:
    """Return True if ``user`` may ``action`` (change, delete) ``record``: model-wide or
    for this record (``programmes.rules``)."""
    opts = record._meta
    permission = f"{opts.app_label}.{action}_{opts.model_name}"
    return user.has_perm(permission) or user.has_perm(permission, record)


class RecordDetailView(VisibilityMixin, DetailView):
    """A record's page; subclasses select and prefetch what it shows.

    The template gets ``can_change`` and ``can_delete`` (asked of the rules for this
    record, so an officer sees the edit buttons of their own programmes' records only)
    and ``history_url``.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        context["can_change"] = may(user, "change", record)
        context["can_delete"] = may(user, "delete", record)
        context["history_url"] = record_url(record, "history", self.kwargs)
        return context


VERSION_FIELD = "version"


def many_to_many_values(form) -> dict:
    """Return the many-to-many fields a model form would set, with their new records."""
    return {
        field.name: form.cleaned_data[field.name]
        for field in form.instance._meta.many_to_many
        if field.name in form.cleaned_data
    }


class RecordFormMixin(RegistryPermissionMixin):
    """Save a record's form in one transaction and say so; a failed save keeps the input.

    No lost updates: an edit form carries the version of the record it showed (a hidden
    ``version`` field). The save locks the row and, if someone else saved the record in
    between, refuses: the form comes back with their values, what changed meanwhile, the
    new version and, for each field both changed, yours beside theirs and a choice to make
    before a save goes through (``citypairing.conflicts``).
    """

    template_name = "includes/record_form.html"
    success_verb = "saved"
    conflict = None
    conflict_unresolved: list[str] = []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        data, record = kwargs.get("data"), getattr(self, "object", None)
        if data is None or record is None or record.pk is None:
            return kwargs
        required = conflicts.required_choices(
            self.request.session, record, data.get(VERSION_FIELD, "")
        )
        if required or data.getlist(conflicts.CONFLICT_FIELDS):
            kwargs["data"], self.conflict_unresolved = conflicts.apply_choices(data, required)
        return kwargs

    def form_showing(self, record):
        """Return an unbound form of this page showing ``record`` as stored."""
        kwargs = super().get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return self.get_form_class()(**{**kwargs, "instance": record})

    def conflict_choices_missing(self, form) -> bool:
        """Refuse a save that still has fields in conflict without a choice (say which)."""
        if not self.conflict_unresolved:
            return False
        labels = [
            str(form.fields[name].label or name)
            for name in self.conflict_unresolved
            if name in form.fields
        ]
        message = conflicts.unresolved_message(labels)
        form.add_error(None, message)
        self.conflict = {
            "message": message,
            "changes": [],
            "rows": conflicts.pending(form, self.object, self.form_showing),
        }
        return True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # Offer (and accept) only related records the user may see: a choice of another
        # network's unpublished programme would name it.
        for field in form.fields.values():
            if getattr(field, "queryset", None) is not None:
                field.queryset = visible_to(self.request.user, field.queryset)
        record = getattr(self, "object", None)
        if record is not None and record.pk is not None:
            form.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version_of(record)
            )
        return form

    def lock_record(self, form):
        """Lock the edited record's row and return it as stored (None when adding); raise
        ConflictError if it changed since the form was shown. Call inside
        ``transaction.atomic()``, before saving."""
        record = getattr(self, "object", None)
        if record is None or record.pk is None:
            return None
        return lock_for_update(record, form.cleaned_data.get(VERSION_FIELD) or None)

    def show_conflict(self, form, conflict: ConflictError) -> None:
        """Show their values in the form with the new version, and what to choose."""
        data = form.data.copy()
        data[VERSION_FIELD] = version_of(conflict.instance)
        form.data = data
        rows = conflicts.resolve(form, conflict, self.form_showing)
        conflicts.remember(self.request.session, conflict.instance, data[VERSION_FIELD], rows)
        self.conflict = {
            "message": str(conflict),
            "changes": readable_changes(self.request.user, conflict.instance, conflict.changes),
            "rows": rows,
        }

    def form_valid(self, form):
        if self.conflict_choices_missing(form):
            return self.form_invalid(form)
        if not self.may_save(form.instance):
            form.add_error(None, NOT_YOUR_PROGRAMME)
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                stored = self.lock_record(form)
                if stored is not None and not changed_fields(
                    form.instance, stored, many_to_many_values(form)
                ):
                    # A save that changes nothing writes nothing (no new version, no history).
                    self.object = stored
                    message = f"Nothing to save: {stored} is as it was."
                else:
                    self.object = form.save()
                    message = f"{self.object} {self.success_verb}."
                # Everything the answer says is read before the commit: once the record is
                # saved, nothing may fail the response (a saved record answered as an error).
                success_url = self.get_success_url()
        except ConflictError as conflict:
            self.show_conflict(form, conflict)
            return self.form_invalid(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        if self.object is not None:
            conflicts.forget(self.request.session, self.object)
        messages.success(self.request, message)
        # Not super().form_valid(): Django's ModelFormMixin would save the form a second
        # time, outside the transaction.
        return HttpResponseRedirect(success_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        record = getattr(self, "object", None)
        context["verbose_name"] = opts.verbose_name
        form = context.get("form")
        if self.conflict is None and form is not None and form.is_bound:
            rows = conflicts.pending(form, record, self.form_showing) if record else []
            if rows:  # another fault refused the save: the choices stay on the page
                self.conflict = {"message": conflicts.CHOICES_KEPT, "changes": [], "rows": rows}
        context["conflict"] = self.conflict
        context["heading"] = (
            f"Edit {opts.verbose_name}: {record}" if record else f"New {opts.verbose_name}"
        )
        context["cancel_url"] = record.get_absolute_url() if record else list_url(self.model)
        return context


class RecordCreateView(RecordFormMixin, CreateView):
    permission_action = "add"
    success_verb = "created"


class RecordUpdateView(RecordFormMixin, VisibilityMixin, UpdateView):
    permission_action = "change"


class RecordDeleteView(RegistryPermissionMixin, VisibilityMixin, DeleteView):
    """Ask before deleting a record, then go back to its list."""

    permission_action = "delete"
    template_name = "includes/record_confirm_delete.html"

    def get_success_url(self):
        return list_url(self.model)

    def form_valid(self, form):
        name = str(self.object)
        with transaction.atomic():
            response = super().form_valid(form)
        messages.success(self.request, f"{name} deleted.")
        return response
