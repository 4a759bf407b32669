"""Reads over partner requests."""

from programmes.querysets import VisibilityQuerySet


class PartnerRequestQuerySet(VisibilityQuerySet):
    """Requests on the seeking-partners board: public, unless their programme or stream
    is hidden."""

    belongs_to = ("programme", "stream")
