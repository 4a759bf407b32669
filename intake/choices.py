"""Fixed choices of the intake app."""

from django.db import models


class ProposalKind(models.TextChoices):
    CITY = "city", "City"
    NETWORK = "network", "Organisation or network"
    ACTIVITY = "activity", "Activity"
    PAIRING = "pairing", "Pairing"
    MEMBERSHIP = "membership", "Membership"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


# The history channel of what accepting a proposal writes (core.history has the others).
CHANNEL_INTAKE = "intake"
