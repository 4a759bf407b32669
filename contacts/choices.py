from django.db import models


class ContactRoleKind(models.TextChoices):
    FOCAL_POINT = "focal_point", "Focal point"
    MAYORS_OFFICE = "mayors_office", "Mayor's office"
    TECHNICAL_LEAD = "technical_lead", "Technical lead"
    SECRETARIAT = "secretariat", "Secretariat"


# The records a contact role can be for, each a foreign key of ContactRole.
ROLE_TARGETS = ("city", "network", "programme", "stream", "pairing")
