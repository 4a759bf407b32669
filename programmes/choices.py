from django.db import models


class NetworkKind(models.TextChoices):
    CITY_NETWORK = "city_network", "City network"
    DEVELOPMENT_AGENCY = "development_agency", "Development agency"
    UN_BODY = "un_body", "UN body"
    EU_PROGRAMME = "eu_programme", "EU programme or institution"
    GOVERNMENT = "government", "Government body"
    NATIONAL_CHAPTER = "national_chapter", "National chapter"
    NGO = "ngo", "NGO or civil society"
    RESEARCH = "research", "University or research centre"
    COMPANY = "company", "Company"
    OTHER = "other", "Other organisation"


class MemberType(models.TextChoices):
    FULL = "full", "Full member"
    ASSOCIATE = "associate", "Associate member"
    CORPORATE = "corporate", "Corporate member"
    PARTNER = "partner", "Partner"


class ProgrammeRole(models.TextChoices):
    LEAD = "lead", "Lead"
    CO_ORGANISER = "co_organiser", "Co-organiser"
    FUNDER = "funder", "Funder"
    IMPLEMENTER = "implementer", "Implementing partner"
    PARTNER = "partner", "Partner"


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    SUSPENDED = "suspended", "Suspended"


class StreamMemberRole(models.TextChoices):
    LEAD = "lead", "Lead"
    CO_LEAD = "co_lead", "Co-lead"
    MEMBER = "member", "Member"


class PairingKind(models.TextChoices):
    TWINNING = "twinning", "Twinning / sister cities"
    PROGRAMME_PAIRING = "programme_pairing", "Programme pairing"
    COMMUNITY_OF_PRACTICE = "community_of_practice", "Community of practice"
    CONSULTATION = "consultation", "Consultation"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed (LoI / MoU)"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    DORMANT = "dormant", "Dormant"
    CANCELLED = "cancelled", "Cancelled"


class ParticipantRole(models.TextChoices):
    PILOT = "pilot", "Pilot / host city"
    PARTNER = "partner", "Partner city"
    POTENTIAL_PARTNER = "potential_partner", "Potential partner"
    MENTOR = "mentor", "Mentor"
    LEARNER = "learner", "Learner"
    CHAIR = "chair", "Chair"
    PARTICIPANT = "participant", "Participant"


class StaffRole(models.TextChoices):
    OFFICER = "officer", "Programme officer"
    PARTNER = "partner", "Partner (API reader)"
