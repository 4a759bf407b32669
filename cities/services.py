"""Writes that touch several city records."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cities.choices import AlternativeNameKind
from cities.models import City, CityAlternativeName
from cities.names import gazetteer_alternate_names, other_script_names
from core.views.choices import choices_changed


@transaction.atomic
def city_names_add_from_gazetteer(*, cities: Iterable[City] | None = None) -> int:
    """Add the gazetteer's names in other scripts to ``cities`` (default: every city with a
    GeoNames id); return how many were added.

    Names a city already has (in any case) are left as they are, so officers' edits stay
    and running it again adds nothing; the local name is marked only on a city that has
    none yet.
    """
    alternate_names = gazetteer_alternate_names()
    cities = City.objects.exclude(geonames_id=None) if cities is None else cities
    cities = [city for city in cities if city.geonames_id in alternate_names]
    known: dict[int, set[str]] = {city.pk: set() for city in cities}
    with_local = set()
    for city_id, name, is_local in CityAlternativeName.objects.filter(
        city__in=[city.pk for city in cities]
    ).values_list("city_id", "name", "is_local"):
        known[city_id].add(name.upper())
        if is_local:
            with_local.add(city_id)
    new = []
    for city in cities:
        for found in other_script_names(alternate_names[city.geonames_id], city.country.code):
            if found.name.upper() in known[city.pk]:
                continue
            known[city.pk].add(found.name.upper())
            new.append(
                CityAlternativeName(
                    city=city,
                    name=found.name[:200],
                    kind=AlternativeNameKind.LOCAL,
                    language=found.language,
                    is_local=found.is_local and city.pk not in with_local,
                )
            )
    CityAlternativeName.objects.bulk_create(new, batch_size=5000)
    if new:
        choices_changed()  # bulk_create sends no signal: kept map data must be read again
    return len(new)
