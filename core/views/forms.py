"""A record's forms: create, edit (no lost updates) and delete, each in one transaction."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.views.generic import CreateView, DeleteView, UpdateView

from core import conflicts
from core.concurrency import ConflictError, changed_fields, lock_for_update, version_of
from core.display import readable_changes
from core.views.records import RegistryPermissionMixin, VisibilityMixin, add_errors, list_url
from core.visibility import visible_to

NOT_YOUR_PROGRAMME = (
    "You can save records only in the programmes your network runs or partners in: "
    "choose one of those programmes, or ask an administrator."
)


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
    before a save goes through (``core.conflicts``).
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
