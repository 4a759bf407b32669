from django.contrib import admin, messages

from contacts.models import ContactRole, Person
from contacts.services import person_erase


class ContactRoleInline(admin.TabularInline):
    model = ContactRole
    extra = 0
    fields = ["role", "city", "network", "programme", "stream", "pairing", "start_date", "end_date"]
    autocomplete_fields = ["city", "network", "programme", "stream", "pairing"]


@admin.action(description="Erase the selected people (and blank them in history)")
def erase_people(modeladmin, request, queryset):
    """Erase each selected person on request (``contacts.services.person_erase``)."""
    count = 0
    for person in queryset:
        person_erase(person=person)
        count += 1
    modeladmin.message_user(
        request, f"{count} person{'s' if count != 1 else ''} erased.", messages.SUCCESS
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation_city", "organisation_network", "email"]
    search_fields = ["name", "title", "email"]
    list_select_related = ["organisation_city", "organisation_network"]
    autocomplete_fields = ["organisation_city", "organisation_network"]
    readonly_fields = ["created", "modified"]
    inlines = [ContactRoleInline]
    actions = [erase_people]

    def delete_model(self, request, obj):
        # Deleting a person is erasing them: their details leave the history too.
        person_erase(person=obj)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            person_erase(person=person)


@admin.register(ContactRole)
class ContactRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "city", "network", "programme", "stream", "pairing"]
    list_filter = ["role"]
    search_fields = ["person__name"]
    list_select_related = ["person", "city", "network", "programme", "stream", "pairing"]
    autocomplete_fields = ["person", "city", "network", "programme", "stream", "pairing"]
