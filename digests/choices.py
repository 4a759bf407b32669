from django.db import models


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly (Monday morning)"
    DAILY = "daily", "Daily (every morning)"
    OFF = "off", "Off (no e-mail)"
