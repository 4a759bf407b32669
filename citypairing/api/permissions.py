"""Who may read and write through the API: the one place to change those rules."""

from rest_framework import permissions


def sees_unpublished(user) -> bool:
    """Return True if ``user`` may read records that are not published yet (staff only)."""
    return bool(user and user.is_authenticated and user.is_staff)


class RegistryPermission(permissions.DjangoModelPermissions):
    """Anyone may read; writing needs a signed-in user with Django's model permission.

    Reading is further limited by the viewsets to published records unless
    ``sees_unpublished(user)``.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)
