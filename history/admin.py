"""Django admin: a record's full change history, and restoring an earlier version.

``RestoreHistoryMixin`` replaces the admin's History page (which only knows the admin's
own log) with the registry's history from the database triggers: every change through
any channel, with its values before and after. Each version of the record's own fields
has a "Restore this version" button (POST, change permission needed). The restore is an
ordinary save through the admin, so it is recorded itself, with the admin's user and
channel ``admin``. It restores the record's own fields; its parts (a pairing's
participants) keep their current state.

The apps' admins import nothing of this app: ``add_restore_to_admins`` (called by
``HistoryConfig.ready()``, after the admin found every app's ModelAdmin) gives the
mixin to the admins of ``RESTORABLE``.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse

from history.reading import describe, record_events, restore

ADMIN_HISTORY_SIZE = 200
# The models whose admin shows the registry's history and restores a version.
RESTORABLE = (
    "sources.source",
    "cities.city",
    "programmes.network",
    "programmes.membership",
    "programmes.programme",
    "programmes.thematicstream",
    "programmes.pairing",
    "activities.activity",
)


class RestoreHistoryMixin:
    object_history_template = "history/admin_object_history.html"

    def save_model(self, request, obj, form, change):
        # A save that changes nothing writes nothing: no new version, no history event.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        entries = []
        if record is not None:
            events = record_events(record, request.user)[:ADMIN_HISTORY_SIZE]
            entries = describe(events, request.user, record=record)
        opts = self.model._meta
        context = {
            "registry_history": entries,
            "restore_url": (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_restore", args=[record.pk])
                if record is not None
                else ""
            ),
            "can_restore": record is not None and self.has_change_permission(request, record),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def restore_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        event_model = type(record).pgh_event_model
        try:
            event = event_model.objects.get(
                pgh_id=int(request.POST.get("event", "")), pgh_obj_id=record.pk
            )
        except (ValueError, event_model.DoesNotExist) as error:
            raise Http404("No such version of this record.") from error
        try:
            with transaction.atomic():
                restored = restore(event)
        except (ValidationError, IntegrityError) as error:
            self.message_user(
                request,
                f"That version cannot be restored: {error}. Edit the record instead.",
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                f"{restored} restored to its version of "
                f"{event.pgh_created_at:%d %b %Y, %H:%M} UTC.",
                messages.SUCCESS,
            )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        )


def add_restore_to_admins(site) -> None:
    """Register the admin of each ``RESTORABLE`` model again with ``RestoreHistoryMixin``."""
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        if model._meta.label_lower not in RESTORABLE or issubclass(
            admin_class, RestoreHistoryMixin
        ):
            continue
        restoring = type(
            admin_class.__name__,
            (RestoreHistoryMixin, admin_class),
            {"__module__": admin_class.__module__},
        )
        # In place, as ``site.register`` would, so the admin's order of models stays.
        site._registry[model] = restoring(model, site)
