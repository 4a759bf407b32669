from django.db import models


class ActivityKind(models.TextChoices):
    ONLINE_CONSULTATION = "online_consultation", "Online consultation / meeting"
    PEER_EXCHANGE = "peer_exchange", "Peer exchange"
    STUDY_VISIT = "study_visit", "Study visit"
    TRAINING = "training", "On-site training"
    WORKSHOP = "workshop", "Workshop"
    CONFERENCE = "conference", "Conference / forum"
    MEETING = "meeting", "Meeting"
    AGREEMENT = "agreement", "Agreement signing (LoI / MoU)"
    PLAN_INTEGRATION = "plan_integration", "Integration into plans"
    AWARD = "award", "Award"
    OTHER = "other", "Other"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CONFIRMED = "confirmed", "Confirmed"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# Statuses that speak of an activity still to come. Once its last day has passed, an
# activity in one of them is out of date: someone should say whether it was held or
# cancelled (``ActivityQuerySet.needs_update``, ``Activity.needs_update``).
STATUSES_BEFORE_THE_EVENT = (ActivityStatus.PLANNED, ActivityStatus.CONFIRMED)
