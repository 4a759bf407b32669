"""``manage.py add_city_names``: add the gazetteer's names in other scripts to the cities."""

from django.core.management.base import BaseCommand

from cities.services import city_names_add_from_gazetteer
from core.history import command_context


class Command(BaseCommand):
    help = (
        "Add each city's names in Thai, Chinese, Korean, Japanese and other scripts from "
        "the GeoNames gazetteer (cities with a GeoNames id); names already there stay."
    )

    def handle(self, *args, **options):
        with command_context("add_city_names"):
            added = city_names_add_from_gazetteer()
        self.stdout.write(f"Names in other scripts added: {added}.")
