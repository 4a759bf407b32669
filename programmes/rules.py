"""Who may do what, object by object (django-rules).

Roles: an admin (superuser) does everything; a programme officer (NetworkStaff with role
officer) edits the pairings, activities and thematic streams of programmes their network
runs or partners in; a partner (role partner) reads, plus whatever Django permissions an
admin grants; anonymous visitors read published records. Views, forms, the API and
admin all ask ``user.has_perm(<permission>, obj)``, so the rule lives here only.
"""

import rules
from django.apps import apps

from programmes.choices import StaffRole


def managed_programme_ids(user) -> set[int]:
    """Return the ids of programmes ``user`` is an officer for (cached on the user)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_managed_programme_ids", None)
    if cached is None:
        Programme = apps.get_model("programmes", "Programme")
        cached = set(
            Programme.objects.filter(
                networks__staff__user=user, networks__staff__role=StaffRole.OFFICER
            ).values_list("pk", flat=True)
        )
        user._managed_programme_ids = cached
    return cached


def denied_context(user) -> dict:
    """Return what a refused edit's 403 page lists for ``user``: the programmes they are
    an officer for (registered with ``core.views.records.register_denied_context``)."""
    Programme = apps.get_model("programmes", "Programme")
    return {
        "your_programmes": Programme.objects.filter(pk__in=managed_programme_ids(user)).order_by(
            "name"
        )
    }


def programme_id_of(obj) -> int | None:
    """Return the programme a pairing, activity, stream or programme belongs to."""
    if isinstance(obj, apps.get_model("programmes", "Programme")):
        return obj.pk
    return getattr(obj, "programme_id", None)


@rules.predicate
def is_programme_officer(user):
    return bool(managed_programme_ids(user))


@rules.predicate
def manages_programme_of(user, obj):
    """True if ``obj`` (pairing, activity, stream) is in a programme the user manages."""
    if obj is None:
        return False
    return programme_id_of(obj) in managed_programme_ids(user)


def granted(permission: str):
    """A predicate: the user holds ``permission`` model-wide (given by an admin)."""

    @rules.predicate(name=f"granted:{permission}")
    def has_model_permission(user):
        # ModelBackend answers for model-wide permissions (no object).
        return user.is_active and any(
            backend.has_perm(user, permission) for backend in _model_backends()
        )

    return has_model_permission


def _model_backends():
    from django.contrib.auth import get_backends
    from django.contrib.auth.backends import ModelBackend

    return [backend for backend in get_backends() if isinstance(backend, ModelBackend)]


def add_programme_scoped_rules(app_label: str, model: str) -> None:
    """Register add/change/delete rules for a model edited by officers of its programme."""
    for action, scope in (
        ("add", is_programme_officer),
        ("change", manages_programme_of),
        ("delete", manages_programme_of),
    ):
        permission = f"{app_label}.{action}_{model}"
        rules.add_perm(permission, rules.is_superuser | scope | granted(permission))


def may_view_every(user, view_permission: str) -> bool:
    """Return True if ``user`` may read every record of a model, unpublished ones too:
    admins and users an admin granted its ``view`` permission."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or granted(view_permission)(user)


def visibility_key(user, models=("programme", "thematicstream", "pairing")) -> str:
    """Return a text naming what decides which of ``models``' records ``user`` sees: two
    readers with the same key see the same records (a cache of them can be shared)."""
    every = [name for name in models if may_view_every(user, f"programmes.view_{name}")]
    managed = ",".join(str(pk) for pk in sorted(managed_programme_ids(user)))
    return f"every:{'+'.join(every)};managed:{managed}"


add_programme_scoped_rules("programmes", "pairing")
add_programme_scoped_rules("programmes", "thematicstream")
# A source (below programmes in the layers) is changed, and so published, by the officers
# of its programme; adding one is sources.querysets.may_add_source's rule (the programme
# it goes into is checked there), and deleting it stays an admin's (citations rest on it).
rules.add_perm(
    "sources.change_source",
    rules.is_superuser | manages_programme_of | granted("sources.change_source"),
)
