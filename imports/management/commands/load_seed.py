"""Load the seed data extracted from the source documents (fixtures/, see docs/seed-data.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.history import command_context
from imports.seed.check import check
from imports.seed.load import SeedLoader
from imports.seed.read import FIXTURES_DIR, SeedError, read_fixtures


class Command(BaseCommand):
    help = (
        "Load the registry's seed data from fixtures/: creates what is missing, never "
        "overwrites what exists (unless --update). Loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing records' fields with the fixtures' values.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the fixtures (quotes, references); write nothing.",
        )
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=FIXTURES_DIR,
            help="Directory of the fixture files (default: fixtures/).",
        )

    def handle(self, *args, **options):
        data = read_fixtures(options["fixtures"])
        try:
            # Checked before the database is touched; the loader checks again, to be safe.
            errors = check(data)
            if errors:
                raise SeedError(errors)
            if options["check"]:
                self.stdout.write(self.style.SUCCESS("The seed fixtures are consistent."))
                return
            with command_context("load_seed"), transaction.atomic():
                report = SeedLoader(data, update=options["update"]).load()
        except SeedError as error:
            problems = "\n- ".join(error.errors)
            raise CommandError(f"The seed fixtures have problems:\n- {problems}") from error
        self.write_summary(report)

    def write_summary(self, report) -> None:
        models = sorted({model for model, _ in report})
        width = max(len(model) for model in models)
        self.stdout.write(f"{'':{width}}  created  updated  existing")
        for model in models:
            created, updated, existing = (
                report[(model, outcome)] for outcome in ("created", "updated", "existing")
            )
            self.stdout.write(f"{model:{width}}  {created:7}  {updated:7}  {existing:8}")
        total = sum(n for (_, outcome), n in report.items() if outcome == "created")
        message = (
            f"Seed data loaded: {total} records created." if total else "Seed data: up to date."
        )
        self.stdout.write(self.style.SUCCESS(message))
