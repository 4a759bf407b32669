"""Load the seed data extracted from shared/seeds (placeholder until the fixtures land)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the registry's seed data from fixtures/ (idempotent, never overwrites)."

    def handle(self, *args, **options):
        self.stdout.write("No seed fixtures yet.")
