"""Writes over partner requests."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from partners.choices import PartnerRequestStatus
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Pairing
from programmes.services import ParticipantSpec, pairing_create


@transaction.atomic
def partner_request_to_pairing(
    *, request, partner_ids: Sequence[int], programme=None, stream=None
) -> Pairing:
    """Turn a partner request into a proposed pairing with the chosen partner cities."""
    if request.status != PartnerRequestStatus.OPEN:
        raise ValidationError("This request is no longer open: it was paired or closed.")
    programme = programme or request.programme
    if programme is None:
        raise ValidationError({"programme": "Choose the programme the pairing belongs to."})
    if not partner_ids:
        raise ValidationError({"participants": "Choose at least one partner city."})
    participants = [ParticipantSpec(city_id=request.city_id, role=ParticipantRole.PILOT)] + [
        ParticipantSpec(city_id=city_id, role=ParticipantRole.POTENTIAL_PARTNER)
        for city_id in partner_ids
    ]
    pairing = pairing_create(
        programme=programme,
        stream=stream or request.stream,
        participants=participants,
        status=PairingStatus.PROPOSED,
        description=f"From the partner request: {request.theme}",
    )
    request.pairing = pairing
    request.status = PartnerRequestStatus.PAIRED
    request.save(update_fields=["pairing", "status", "modified"])
    return pairing
