from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """People who work on city cooperation (focal points...): personal data, never public."""

    name = "contacts"
    verbose_name = "Contacts"

    def ready(self):
        from contacts.panels import contacts_panel
        from core.views.panels import register_record_panel

        register_record_panel("detail", contacts_panel)
