"""Reusable reads over programmes and pairings."""

from django.db import models


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        """Return the programmes visible to anonymous readers."""
        return self.filter(is_published=True)


class PairingQuerySet(models.QuerySet):
    def published(self):
        """Return pairings visible to anonymous readers (their programme published too)."""
        return self.filter(is_published=True, programme__is_published=True)

    def for_city(self, city):
        """Return the pairings ``city`` takes part in."""
        return self.filter(participants__city=city)

    def with_participants(self):
        """Prefetch what a list of pairings shows: programme, stream, cities and roles."""
        from programmes.models import PairingParticipant

        return self.select_related("programme", "stream").prefetch_related(
            models.Prefetch(
                "participants",
                queryset=PairingParticipant.objects.select_related("city").order_by(
                    "role", "city__name"
                ),
            )
        )
