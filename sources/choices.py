from django.db import models


class SourceKind(models.TextChoices):
    REPORT = "report", "Report"
    WEB_PAGE = "web_page", "Web page"
    NEWS = "news", "News item"
    EVENT_PAGE = "event_page", "Event page"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"
