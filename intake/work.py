"""What intake adds to an officer's work list: their sources with proposals to review."""

from django.db.models import Count, Q
from django.urls import reverse

from followup.services import Item, Section
from intake.choices import ProposalStatus
from sources.models import Source


def sources_to_review(user, programmes, today) -> Section:
    """Return the section of the sources of ``programmes`` whose proposals wait for a
    decision, those with most waiting first."""
    waiting = Q(proposals__status=ProposalStatus.PROPOSED)
    sources = (
        Source.objects.visible_to(user)
        .filter(programme__in=[programme.pk for programme in programmes])
        .annotate(waiting=Count("proposals", filter=waiting))
        .filter(waiting__gt=0)
        .select_related("programme")
        .defer("text", "search_vector")
        .order_by("-waiting", "title")
    )
    items = [
        Item(
            kind="source",
            record=source,
            title=source.title,
            url=source.get_absolute_url(),
            detail=f"{source.waiting} proposal{'s' if source.waiting != 1 else ''} to review",
            action_label="Review the proposals",
            action_url=reverse("sources:source_proposals", kwargs={"slug": source.slug}),
            programme=source.programme,
        )
        for source in sources
    ]
    return Section(
        key="proposals",
        title="Sources with proposals to review",
        empty="No document's proposals wait for a review.",
        items=items,
    )
