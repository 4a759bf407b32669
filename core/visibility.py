"""Who may see which records: how pages, the API, exports and history ask.

The rule itself lives once per model, as a QuerySet method (NetBox's
``RestrictedQuerySet.restrict``): a model whose records some readers may not see has a
QuerySet with ``visible_to(user)``, which returns the records ``user`` may see, and
returns the queryset itself when they may see every one (``published()`` is what
anonymous readers see). Programmes, thematic streams, pairings, activities, their parts
and partner requests (``programmes.querysets.VisibilityQuerySet``) and citations
(``sources.querysets``) have it; a record is visible only when everything it belongs to
is. Models without it (cities, networks, sources) are public. This module knows only
that protocol, so it imports no app. What a user may not see is a 404, never a 403.
"""

from __future__ import annotations

from django.db.models import Count, Q


def visible_to(user, queryset):
    """Return the part of ``queryset`` that ``user`` may see (all of a public model)."""
    restrict = getattr(queryset, "visible_to", None)
    return queryset if restrict is None else restrict(user)


def visible_pks(user, model, pks) -> set:
    """Return those of ``pks`` (ids of ``model`` records) that ``user`` may see; one query
    at most, whatever their number."""
    pks = {pk for pk in pks if pk is not None}
    queryset = model._default_manager.filter(pk__in=pks)
    visible = visible_to(user, queryset)
    if visible is queryset or not pks:
        return pks
    return set(visible.values_list("pk", flat=True))


def visible_count(user, relation: str, model) -> Count:
    """Return a Count of the related ``model`` records (``relation``) ``user`` may see."""
    everything = model._default_manager.all()
    visible = visible_to(user, everything)
    condition = None if visible is everything else Q(**{f"{relation}__in": visible.values("pk")})
    return Count(relation, filter=condition, distinct=True)
