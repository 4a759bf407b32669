"""Abstract models and field helpers shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last modified.

    ``modified`` is indexed: partners pull what changed with ``?modified_since=``.
    """

    created = models.DateTimeField(
        auto_now_add=True,
        editable=False,
    )
    modified = models.DateTimeField(
        auto_now=True,
        editable=False,
        db_index=True,
    )

    class Meta:
        abstract = True
