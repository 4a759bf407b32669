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


class IntakeStatus(models.TextChoices):
    """Where the background reading of a source for proposals is."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being read"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


# A run in one of these has not proposed yet: pages and API say so.
INTAKE_PENDING = (IntakeStatus.QUEUED, IntakeStatus.RUNNING)
PREPARING = (
    "Proposals are being prepared: the registry is reading the document in the background. "
    "They appear here when it is done (usually within a minute)."
)
