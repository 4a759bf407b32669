from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (no more attempts)"
    WITHHELD = "withheld", "Not sent: the owner may no longer see the record"
