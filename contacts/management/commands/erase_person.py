"""``manage.py erase_person <id>``: erase a person on request (their details leave history)."""

from django.core.management.base import BaseCommand, CommandError

from contacts.models import Person
from contacts.services import person_erase
from core.history import command_context


class Command(BaseCommand):
    help = "Erase a person: delete them and their roles, and blank their details in history."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int, help="The person's number (on their page).")

    def handle(self, *args, person_id, **options):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person has the number {person_id}: check their page.")
        with command_context("erase_person"):
            erasure = person_erase(person=person)
        self.stdout.write(
            f"Person {person_id} erased: {erasure.roles} role(s) deleted, "
            f"{erasure.events} history row(s) redacted."
        )
