"""Import Wikipedia's twin towns (shared/data/twin_cities.csv or a file of that shape)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cities.gazetteer import gazetteer
from core.history import command_context
from imports.twin_cities import TwinCitiesImporter

DEFAULT_PATH = Path(settings.BASE_DIR).parent / "shared" / "data" / "twin_cities.csv"


class Command(BaseCommand):
    help = (
        "Import twin-town pairs (city1,country1,lat1,lng1,city2,country2,lat2,lng2) as "
        "external, unverified pairings with attribution. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help=f"CSV file (default {DEFAULT_PATH})"
        )
        parser.add_argument("--limit", type=int, help="Read only the first N data rows.")
        parser.add_argument(
            "--min-population",
            type=int,
            default=0,
            help="Match only gazetteer places with at least this population (faster, "
            "coarser; default: every place GeoNames lists).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, path, limit, min_population, no_progress, **options):
        if not Path(path).is_file():
            raise CommandError(f"No file at {path}: give the path of the twin-cities CSV.")

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=no_progress, file=self.stderr, **kwargs)

        importer = TwinCitiesImporter(
            path,
            gazetteer_factory=lambda: gazetteer(min_population),
            limit=limit,
            progress=progress,
            on_wait=self.stderr.write,
        )
        with command_context("import_twin_cities", file=str(path)):
            try:
                report = importer.run()
            except ValueError as error:
                raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed_anything:
            self.stdout.write(self.style.SUCCESS("Nothing changed: everything was already there."))
