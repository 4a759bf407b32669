"""Who may see which records: one rule for the pages, the API, exports and history.

Programmes, pairings, activities and thematic streams can be unpublished (a stream
through its programme). Everyone sees what is published; a programme officer also sees
the unpublished records of the programmes their network runs or partners in; admins and
users granted the model's ``view`` permission see everything. Other records (cities,
networks, sources…) are public. What a user may not see is a 404, never a 403.

``programmes.rules`` holds the roles; this module turns them into query filters
(``visible_q``, ``visible_to``) and a check of one record (``may_see``).
"""

from __future__ import annotations

from django.db.models import Q

from programmes.rules import granted, managed_programme_ids

# label → (the Q of what anonymous readers see, the path to the programme id, the
# permission that lets a user see everything). Keep the Q in step with each queryset's
# ``published()`` (tests/trust/test_visibility.py checks they agree).
RULES = {
    "programmes.programme": (Q(is_published=True), "pk", "programmes.view_programme"),
    "programmes.pairing": (
        Q(is_published=True, programme__is_published=True),
        "programme_id",
        "programmes.view_pairing",
    ),
    "activities.activity": (Q(is_published=True), "programme_id", "activities.view_activity"),
    "programmes.thematicstream": (
        Q(programme__is_published=True),
        "programme_id",
        "programmes.view_programme",
    ),
}


def _prefixed(condition: Q, prefix: str) -> Q:
    """Return ``condition`` with every lookup under ``prefix`` (e.g. ``pairings__``)."""
    if not prefix:
        return condition
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def sees_everything(user, label: str) -> bool:
    """Return True if ``user`` may see every record of the model ``label``."""
    rule = RULES.get(label)
    if rule is None:
        return True
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or granted(rule[2])(user)


def visible_q(user, model, prefix: str = "") -> Q | None:
    """Return the filter of the ``model`` records ``user`` may see; None means all.

    ``prefix`` puts the filter under a relation, e.g. ``prefix="pairings__"`` to count a
    programme's visible pairings.
    """
    label = model._meta.label_lower
    if sees_everything(user, label):
        return None
    published, programme_path, _ = RULES[label]
    condition = published
    managed = managed_programme_ids(user) if user and user.is_authenticated else set()
    if managed:
        condition = condition | Q(**{f"{programme_path}__in": managed})
    return _prefixed(condition, prefix)


def visible_to(user, queryset):
    """Return the part of ``queryset`` that ``user`` may see."""
    condition = visible_q(user, queryset.model)
    return queryset if condition is None else queryset.filter(condition)


def visible_count(user, relation: str, model):
    """Return a Count of the related ``model`` records (``relation``) ``user`` may see."""
    from django.db.models import Count

    condition = visible_q(user, model, prefix=f"{relation}__")
    return Count(relation, filter=condition, distinct=True)


def may_see(user, obj) -> bool:
    """Return True if ``user`` may see the record ``obj`` (any model)."""
    if obj is None:
        return False
    label = obj._meta.label_lower
    if sees_everything(user, label):
        return True
    programme_id = obj.pk if label == "programmes.programme" else obj.programme_id
    if user and user.is_authenticated and programme_id in managed_programme_ids(user):
        return True
    if label == "programmes.programme":
        return obj.is_published
    if label == "programmes.thematicstream":
        return obj.programme.is_published
    if label == "programmes.pairing":
        return obj.is_published and obj.programme.is_published
    return obj.is_published


def records_prefetch(lookup: str = "record"):
    """Prefetch cited records (a generic relation) with what ``may_see`` reads of them."""
    from django.contrib.contenttypes.prefetch import GenericPrefetch

    from programmes.models import Pairing, ThematicStream

    return GenericPrefetch(
        lookup,
        [
            Pairing.objects.select_related("programme"),
            ThematicStream.objects.select_related("programme"),
        ],
    )
