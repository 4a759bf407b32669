"""Reusable reads over cities."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Exists, OuterRef, Q


class CityQuerySet(models.QuerySet):
    def search(self, text: str):
        """Return cities whose name or alternative name matches ``text``.

        Tolerates case, accents (via unaccent on both sides) and small misspellings
        (trigram word similarity), so "Vichit" finds Wichit and "iloilo" finds Iloilo City.
        """
        from cities.models import CityAlternativeName

        text = (text or "").strip()
        if not text:
            return self
        alt_match = CityAlternativeName.objects.filter(city=OuterRef("pk")).filter(
            Q(name__unaccent__icontains=text) | Q(name__unaccent__trigram_word_similar=text)
        )
        return self.filter(
            Q(name__unaccent__icontains=text)
            | Q(name__unaccent__trigram_word_similar=text)
            | Q(admin_area__unaccent__icontains=text)
            | Exists(alt_match)
        ).annotate(match_score=TrigramWordSimilarity(text, "name"))
