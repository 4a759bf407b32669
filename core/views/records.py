"""A record's pages: who may see it (visibility, 404), who may change it (permissions,
403 in words), and its detail page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.generic import DetailView

from core.views.choices import kept_for_anonymous
from core.visibility import visible_to

ACTION_VERBS = {"add": "add", "change": "edit", "delete": "delete"}


def list_url(model) -> str:
    """Return the address of a model's list page (``<app>:<model>_list``)."""
    opts = model._meta
    return reverse(f"{opts.app_label}:{opts.model_name}_list")


def add_errors(form, error: ValidationError, *, fallback_field=None) -> None:
    """Show a ValidationError from a model or service next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(fallback_field, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else fallback_field, messages_)


# Extra context for the 403 page from the apps that know a user's roles (the programmes
# app adds ``your_programmes`` in ``ProgrammesConfig.ready()``).
DENIED_CONTEXT_HOOKS: list = []


def register_denied_context(hook) -> None:
    """Add ``hook(user)``'s dict to the context of every refused edit's 403 page."""
    if hook not in DENIED_CONTEXT_HOOKS:
        DENIED_CONTEXT_HOOKS.append(hook)


# What the apps above a model add to its record's page: model label → section functions
# (a city's pairings and activities, a programme's activities), so the page's own app
# imports nothing of theirs.
PAGE_SECTIONS: dict[str, list] = {}
# Sections whose anonymous readers' dicts are kept until the records' next change.
KEPT_SECTIONS: set = set()


def register_page_section(model, section, *, kept: bool = False) -> None:
    """Add ``section(record, user)``'s dict to the context of ``model``'s record page.

    Registered in the upper app's ``AppConfig.ready()``; the section reads only what
    ``user`` may see (``core.visibility``). With ``kept``, anonymous readers' section is
    read once per record and kept until the records' next change
    (``core.views.choices.kept_for_anonymous``): only for a section that returns what it
    read (lists, not querysets) and whose every record advances that version on its
    writes (the registering app connects ``choices_changed``).
    """
    sections = PAGE_SECTIONS.setdefault(model._meta.label_lower, [])
    if section not in sections:
        sections.append(section)
    if kept:
        KEPT_SECTIONS.add(section)


def permission_denied(request, *, reason: str, back_url: str = "", back_label: str = ""):
    """Render the 403 page: why the user may not do this and where to go instead."""
    context = {"reason": reason, "back_url": back_url, "back_label": back_label}
    for hook in DENIED_CONTEXT_HOOKS:
        context.update(hook(request.user))
    return TemplateResponse(request, "403.html", context, status=403)


class VisibilityMixin:
    """Show only the records the user may see (``core.visibility``); others 404."""

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
    record, so an officer sees the edit buttons of their own programmes' records only),
    the addresses of the pages other apps add to it (``history_url``, ``cite_url``), and what
    other apps add to its context (``register_page_section``).
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        context["can_change"] = may(user, "change", record)
        context["can_delete"] = may(user, "delete", record)
        context["history_url"] = record_url(record, "history", self.kwargs)
        for section in PAGE_SECTIONS.get(record._meta.label_lower, ()):
            if section in KEPT_SECTIONS:
                key = f"section:{section.__module__}.{section.__qualname__}:{record.pk}"
                context.update(
                    kept_for_anonymous(key, user, lambda section=section: section(record, user))
                )
            else:
                context.update(section(record, user))
        context["cite_url"] = record_url(record, "cite", self.kwargs)
        return context
