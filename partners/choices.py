from django.db import models


class PartnerRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAIRED = "paired", "Turned into a pairing"
    CLOSED = "closed", "Closed"


class PartnerKind(models.TextChoices):
    ANY = "any", "Any"
    PEER = "peer", "Peer facing the same challenge"
    MENTOR = "mentor", "Mentor with experience"
    LEARNER = "learner", "City that wants to learn"
