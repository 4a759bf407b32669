"""What programmes add to the city page (``register_page_section`` in
``ProgrammesConfig.ready()``): its memberships, stream roles and pairings, so cities
imports nothing of programmes."""

from django.db.models import Case, F, When

from cities.views import CITY_PAGE_ROWS
from core.counting import first_rows_and_count
from core.visibility import visible_to
from programmes.choices import ParticipantRole
from programmes.models import Membership, Pairing, StreamMember


def city_programmes(city, user) -> dict:
    """The networks, streams and latest pairings ``city`` takes part in, with the numbers."""
    context = {}
    context["memberships"], context["membership_count"] = first_rows_and_count(
        Membership.objects.filter(city=city)
        .select_related("network")
        .order_by("network__name", "id"),
        CITY_PAGE_ROWS,
    )
    context["stream_roles"] = list(
        StreamMember.objects.visible_to(user).filter(city=city).select_related("stream__programme")
    )
    context["pairings"], context["pairing_count"] = first_rows_and_count(
        visible_to(user, Pairing.objects.for_city(city))
        .with_participants()
        # The pairings it hosts first (ordering reuses for_city's join: its own role).
        .order_by(
            Case(When(participants__role=ParticipantRole.PILOT, then=0), default=1),
            F("start_date").desc(nulls_last=True),
            "-id",
        ),
        CITY_PAGE_ROWS,
    )
    return context
