from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Pushes to partners: subscriptions to the registry's changes, signed deliveries."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from webhooks.signals import connect

        connect()
