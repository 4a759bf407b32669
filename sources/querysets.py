"""Reusable reads over citations."""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Q


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
        return self.filter(condition) if condition else self

    def published(self):
        """Return the citations anonymous readers see."""
        return self.visible_to(AnonymousUser())
