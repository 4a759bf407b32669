from django.apps import AppConfig


class DigestsConfig(AppConfig):
    """E-mail digests: each officer's My-work items that changed, weekly or daily."""

    name = "digests"
    verbose_name = "E-mail digests"
