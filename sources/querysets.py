"""Reusable reads over sources and citations, and who may read them."""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from sources.choices import MATCH_START, MATCH_STOP, SEARCH_CONFIG

# Who manages which programmes is the programmes app's rule, above this one in the
# layers: it is registered here (``register_programme_access``) by an app above both.
_managed_programme_ids = [lambda user: set()]


def register_programme_access(managed_programme_ids) -> None:
    """Use ``managed_programme_ids(user) -> set[int]`` to know whose sources a user sees."""
    _managed_programme_ids[0] = managed_programme_ids


def managed_programme_ids(user) -> set[int]:
    """Return the ids of the programmes ``user`` is an officer for."""
    return _managed_programme_ids[0](user) if user.is_authenticated else set()


def may_add_source(user) -> bool:
    """Return True if ``user`` may bring in documents: admins and programme officers."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm("sources.add_source") or managed_programme_ids(user))
    )


def may_read_source(user, source) -> bool:
    """Return True if ``user`` may read ``source`` (``SourceQuerySet.visible_q`` in Python,
    for citations already read with their sources)."""
    if source.is_published or source.programme_id is None:
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm("sources.view_source") or source.programme_id in managed_programme_ids(
        user
    )


def visible_sources_q(user, prefix: str = "") -> Q | None:
    """Return the condition of the sources ``user`` may see; None when they see all.

    Published sources and the registry's own (no programme) are everyone's; a
    programme's unpublished source is its officers' (and admins') only. With ``prefix``
    (``"source__"``), the same condition on records that point to a source.
    """
    user = user or AnonymousUser()
    if user.is_authenticated and user.is_active and user.has_perm("sources.view_source"):
        return None
    condition = Q(**{f"{prefix}is_published": True}) | Q(**{f"{prefix}programme__isnull": True})
    managed = managed_programme_ids(user)
    if managed:
        condition |= Q(**{f"{prefix}programme__in": sorted(managed)})
    return condition


def readable_citations_q(user) -> Q | None:
    """Return the condition of the citations whose source ``user`` may read (None: all);
    ``may_read_source`` is the same rule for citations read with their sources."""
    return visible_sources_q(user, "source__")


def may_manage_source(user, source) -> bool:
    """Return True if ``user`` may review and publish ``source``: admins and the officers
    of its programme (the registry's own sources are the admins')."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_perm("sources.change_source"):
        return True
    return source.programme_id is not None and source.programme_id in managed_programme_ids(user)


def text_query(text: str) -> SearchQuery:
    """Return the full-text query for what a person typed (web-search syntax: quotes, or)."""
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


class SourceQuerySet(models.QuerySet):
    def visible_q(self, user) -> Q | None:
        """Return the condition of the sources ``user`` may see (``visible_sources_q``)."""
        return visible_sources_q(user)

    def visible_to(self, user):
        """Return the sources ``user`` may see."""
        condition = self.visible_q(user)
        return self if condition is None else self.filter(condition)

    def published(self):
        """Return the sources anonymous readers see."""
        return self.visible_to(AnonymousUser())

    def matching(self, text: str):
        """Return the sources whose title or text matches ``text``, best first, each with
        ``passage``: the matching words in their context (PostgreSQL's ts_headline)."""
        query = text_query(text)
        return (
            self.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                passage=SearchHeadline(
                    "text",
                    query,
                    config=SEARCH_CONFIG,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    start_sel=MATCH_START,
                    stop_sel=MATCH_STOP,
                ),
            )
            .order_by("-rank", "title")
        )

    def mentioning(self, *names: str):
        """Return the sources whose text names any of ``names`` (as phrases), with passage."""
        phrases = " or ".join(f'"{name}"' for name in names if name.replace('"', "").strip())
        return self.matching(phrases) if phrases else self.none()


def cited_models() -> list:
    """Return the models whose records carry citations (a ``citations`` relation)."""
    Citation = apps.get_model("sources", "Citation")
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.related_model is Citation
            for field in model._meta.private_fields
        )
    ]


class CitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the citations whose record ``user`` may see (a quote of an unpublished
        record would tell what is not published yet).

        Each model whose QuerySet restricts reading (has ``visible_to``) adds a correlated
        EXISTS: "the latest five" reads the citations newest first and looks each one's
        record up by primary key; ``object_id IN (all visible activities)`` made
        PostgreSQL collect a million ids first (10 s).
        """
        condition = Q()
        for model in cited_models():
            records = model._default_manager.filter(pk=OuterRef("object_id"))
            restrict = getattr(records, "visible_to", None)
            visible = restrict(user) if restrict is not None else records
            if visible is records:  # the user sees every record of the model
                continue
            of_model = Q(content_type__app_label=model._meta.app_label) & Q(
                content_type__model=model._meta.model_name
            )
            condition &= ~of_model | Q(Exists(visible))
        # A quote of a source the user may not see would tell what it says.
        from sources.models import Source

        sources_visible = Source.objects.visible_q(user)
        if sources_visible is not None:
            hidden = Source.objects.order_by().filter(pk=OuterRef("source_id"))
            condition &= ~Exists(hidden.exclude(sources_visible))
        return self.filter(condition) if condition else self

    def published(self):
        """Return the citations anonymous readers see."""
        return self.visible_to(AnonymousUser())
