"""Fixed choices of the sources app."""

from django.db import models


class SourceKind(models.TextChoices):
    REPORT = "report", "Report"
    WEB_PAGE = "web_page", "Web page"
    NEWS = "news", "News item"
    EVENT_PAGE = "event_page", "Event page"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


# Full-text search over sources' titles and text: PostgreSQL's English configuration
# (stems, stop words), on at most this many characters of a text (a tsvector holds 1 MB).
SEARCH_CONFIG = "english"
SEARCHED_CHARACTERS = 500_000
# How ts_headline marks a match in a passage: private-use characters, which no document's
# extracted text holds (extract removes them), turned into <mark> after escaping.
MATCH_START = "\ue000"
MATCH_STOP = "\ue001"
