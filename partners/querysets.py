"""Reads over partner requests."""

from django.db.models import Q

from programmes.querysets import VisibilityQuerySet


class PartnerRequestQuerySet(VisibilityQuerySet):
    """Requests on the seeking-partners board: public, unless their programme or stream
    is hidden."""

    belongs_to = ("programme", "stream")

    def search(self, text: str):
        """Return the requests whose need, description or city's name contains ``text``."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(theme__unaccent__icontains=text)
            | Q(description__unaccent__icontains=text)
            | Q(city__name__unaccent__icontains=text)
        )
