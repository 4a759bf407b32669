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

    def search(self, text: str):
        """Return pairings whose title, a city, the programme or the stream matches ``text``.

        Case and accents aside; cities as ``CityQuerySet.search`` finds them (misspellings
        too). One sub-select of ids, a UNION of index look-ups (a trigram index on the
        folded title, the participants' and the foreign keys' B-trees), rather than a join
        with an OR and DISTINCT, which made PostgreSQL read every pairing.
        """
        from cities.models import City
        from cities.querysets import contains_folded
        from programmes.models import PairingParticipant, Programme, ThematicStream

        text = (text or "").strip()
        if not text:
            return self
        pairings = self.model.objects.order_by()
        by_title = pairings.filter(contains_folded(text, "title")).values("pk")
        by_city = (
            PairingParticipant.objects.order_by()
            .filter(city__in=City.objects.search(text).values("pk"))
            .values("pairing_id")
        )
        by_programme = pairings.filter(
            programme__in=Programme.objects.filter(contains_folded(text, "name")).values("pk")
        ).values("pk")
        by_stream = pairings.filter(
            stream__in=ThematicStream.objects.filter(contains_folded(text, "name")).values("pk")
        ).values("pk")
        return self.filter(pk__in=by_title.union(by_city, by_programme, by_stream))

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
