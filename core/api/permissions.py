"""Who may read and write through the API: the same rules as the pages.

- Reading: anyone; each viewset shows only what ``core.visibility`` lets the user
  see (published records; an officer's own programmes' unpublished ones; everything for
  admins and users granted the model's view permission). The rest is 404.
- Writing needs a signed-in user (401 otherwise) and the permission, checked per record
  (``user.has_perm("<app>.<action>_<model>", obj)``, django-rules): an officer changes
  and deletes the pairings, activities and thematic streams of the programmes their
  network runs or partners in, and changes (publishes) their sources; other models need
  Django's model-wide permission. A new or moved record is checked against its target
  programme too (403 otherwise).
"""

from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}
# Models whose add/change/delete rules look at the record's programme (programmes.rules).
# Contacts too: an officer writes the people and roles within their networks' reach.
PROGRAMME_SCOPED = {
    "programmes.pairing",
    "programmes.thematicstream",
    "activities.activity",
    "contacts.person",
    "contacts.contactrole",
    # Its programme's officers change (and publish) a source; deleting stays model-wide.
    "sources.source",
    # Partner requests: their programme's officers and whoever posted them.
    "partners.partnerrequest",
}
NOT_YOUR_PROGRAMME = (
    "You can write only to the programmes your network runs or partners in: choose one of "
    "those programmes, or ask an administrator."
)


def permission_name(model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def may(user, action: str, obj) -> bool:
    """Return True if ``user`` may ``action`` (add, change, delete) the record ``obj``."""
    permission = permission_name(type(obj), action)
    return user.has_perm(permission) or user.has_perm(permission, obj)


def may_write_to(user, record) -> bool:
    """Return True if ``user`` may keep ``record`` (unsaved, as the request made it).

    For programme-scoped models this is the change rule applied to the record with its
    new programme; for the rest, nothing beyond the model-wide permission already checked.
    """
    if record._meta.label_lower not in PROGRAMME_SCOPED:
        return True
    return may(user, "change", record)


def check_target(request, record) -> None:
    """Raise 403 unless the user may write ``record`` into its (new) programme."""
    if record is not None and not may_write_to(request.user, record):
        raise PermissionDenied(NOT_YOUR_PROGRAMME)


class RegistryPermission(permissions.DjangoModelPermissions):
    """Anyone may read; writing needs a signed-in user holding the permission for it."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = self._queryset(view).model
        if model._meta.label_lower in PROGRAMME_SCOPED and request.method != "POST":
            return True  # decided per record, in has_object_permission
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        action = ACTIONS.get(request.method)
        if action is None:
            return False
        if action == "add":  # a POST to a record's action
            action = "change"
        return may(request.user, action, obj)
