"""Import and export of cities (CSV, XLSX, JSON) with the columns both directions share.

A row names its city by ``slug``; without one, by ``name`` and ``country``, matched to the
registry (accents, case and alternative names do not matter) and, for a new city, to the
gazetteer, which fills in the GeoNames id, coordinates and population left blank.
Ambiguous and unknown names are errors that list the candidates: nothing is guessed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from cities.choices import AlternativeNameKind, LocalGovernmentKind
from cities.countries import country_suggestions, resolve_country
from cities.geo import distance_km
from cities.matching import (
    AMBIGUOUS,
    NEARBY_KM,
    UNMATCHED,
    CityEntry,
    CityMatcher,
    entries_for,
    place_label,
    unique_city_slug,
)
from cities.models import City, CityAlternativeName
from core.resources import (
    RegistryResource,
    SlugListWidget,
    choice_field,
    column,
    is_blank,
    split_list,
    text_field,
)

# --- Cells naming countries and cities, for every app's resources -----------------------


class CountryWidget(widgets.CharWidget):
    """An ISO 3166-1 code ("PH") or an English country name ("Philippines")."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            raise ValueError("Give the country (ISO code such as PH, or its English name).")
        code = resolve_country(str(value))
        if code is None:
            close = country_suggestions(str(value))
            hint = f" — did you mean {' or '.join(close)}?" if close else ""
            raise ValueError(f"unknown country “{value}”{hint}")
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", None) or (str(value) if value else "")


class CityReferenceWidget(widgets.ForeignKeyWidget):
    """A registry city named by its slug, "name|country" or a name alone.

    Matching is the importers' (``cities.matching``): accents and case do not matter,
    alternative names count; an ambiguous or unknown name is an error that lists the
    candidates or suggestions.
    """

    resource = None  # bound by RegistryResource so one matcher serves the whole import

    def __init__(self, **kwargs):
        super().__init__(City, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return self.resource.city_for(str(value))

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class CityListWidget(SlugListWidget):
    """Several cities ("slug;name|country;…"), each matched like CityReferenceWidget."""

    resource = None

    def __init__(self, **kwargs):
        super().__init__(City, **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.resource.cities_for(split_list(value))


class CityMatchingResource(RegistryResource):
    """A resource whose cells name registry cities, matched by one matcher per import."""

    def __init__(self, *, matcher: CityMatcher | None = None, **kwargs):
        super().__init__(**kwargs)
        self._matcher = matcher
        self._city_cache: dict[str, object] = {}

    @property
    def matcher(self) -> CityMatcher:
        if self._matcher is None:
            self._matcher = CityMatcher()
        return self._matcher

    def city_for(self, reference: str):
        """Return the registry City a cell names, or raise ValueError saying why not."""
        reference = reference.strip()
        if reference not in self._city_cache:
            match = self.matcher.resolve(reference)
            if match.matched and match.city is not None:
                self._city_cache[reference] = City.objects.get(pk=match.city.id)
            else:
                self._city_cache[reference] = ValueError(match.message())
        found = self._city_cache[reference]
        if isinstance(found, ValueError):
            raise found
        return found

    def cities_for(self, references: list[str]) -> list:
        """Return the cities of a list cell, reporting every unknown one at once."""
        found, problems = [], []
        for reference in references:
            try:
                found.append(self.city_for(reference))
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ValueError("; ".join(problems))
        return found


def parse_alternative_names(value) -> list[tuple[str, str]]:
    """Read "Vichit:source_error; Wichit" into [("Vichit", "source_error"), ("Wichit", …)]."""
    names = []
    for item in split_list(value):
        name, _, kind = item.rpartition(":")
        if not name or kind.strip() not in AlternativeNameKind.values:
            name, kind = item, AlternativeNameKind.SPELLING
        names.append((name.strip(), kind.strip()))
    return names


def as_float(value) -> float | None:
    try:
        return None if is_blank(value) else float(value)
    except (TypeError, ValueError):
        return None


class CityResource(CityMatchingResource):
    slug = text_field("slug")
    name = text_field("name")
    country = column("country", CountryWidget())
    admin_area = text_field("admin_area")
    kind = choice_field("kind", LocalGovernmentKind, LocalGovernmentKind.CITY)
    population = column("population", widgets.IntegerWidget())
    latitude = column("latitude", widgets.DecimalWidget())
    longitude = column("longitude", widgets.DecimalWidget())
    geonames_id = column("geonames_id", widgets.IntegerWidget())
    alternative_names = fields.Field(column_name="alternative_names")
    description = text_field("description")

    class Meta(RegistryResource.Meta):
        model = City
        name = "Cities"
        fields = [
            "slug",
            "name",
            "country",
            "admin_area",
            "kind",
            "population",
            "latitude",
            "longitude",
            "geonames_id",
            "alternative_names",
            "description",
        ]
        import_id_fields = ["name", "country"]

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("alternative_names")

    def dehydrate_alternative_names(self, city):
        return "; ".join(
            f"{alt.name}:{alt.kind}"
            for alt in sorted(city.alternative_names.all(), key=lambda a: a.name.casefold())
        )

    # --- Finding the city a row means -----------------------------------------------

    def get_instance(self, instance_loader, row):
        self._place = None
        name = str(row.get("name") or "").strip()
        if not name:
            raise ValidationError({"name": "Give the city's name."})
        try:
            country = self.fields["country"].clean(row)
        except ValueError as error:
            raise ValidationError({"country": str(error)}) from error
        latitude, longitude = as_float(row.get("latitude")), as_float(row.get("longitude"))
        has_coordinates = latitude is not None and longitude is not None
        slug = str(row.get("slug") or "").strip()

        if slug:
            city = City.objects.filter(slug=slug).first()
            if city is not None:
                return city
            match = self.matcher.match(
                name, country, latitude=latitude, longitude=longitude, registry_only=True
            )
            found = [match.city] if match.city else match.candidates
            same = [c for c in found if isinstance(c, CityEntry)]
            if same and not (
                has_coordinates and all(self._far(c, latitude, longitude) for c in same)
            ):
                listed = ", ".join(f"“{c.slug}”" for c in same)
                raise ValidationError(
                    {
                        "slug": f"“{name}” ({country}) is already in the registry as {listed}: "
                        "write that slug to update it, or give this city's coordinates if "
                        "it is a different place."
                    }
                )
            self._enrich_from_gazetteer(name, country, row, latitude, longitude)
            return None

        match = self.matcher.match(name, country, latitude=latitude, longitude=longitude)
        if match.city is not None:
            return City.objects.get(pk=match.city.id)
        given_id = as_float(row.get("geonames_id"))
        if match.status == AMBIGUOUS:
            registry = [c for c in match.candidates if isinstance(c, CityEntry)]
            if registry:
                raise ValidationError(
                    {"name": match.message() + ". Write the slug of the city you mean."}
                )
            if given_id is None and not has_coordinates:
                raise ValidationError(
                    {
                        "name": match.message()
                        + ". Give the geonames_id (or the coordinates) of the city you mean."
                    }
                )
        elif match.status == UNMATCHED:
            if match.suggestions and given_id is None and not has_coordinates:
                raise ValidationError(
                    {
                        "name": match.message()
                        + " To add it as a new city anyway, give its latitude and longitude."
                    }
                )
        else:
            self._place = match.place
        if self._place is None:
            self._enrich_from_gazetteer(name, country, row, latitude, longitude)
        return None

    @staticmethod
    def _far(entry: CityEntry, latitude: float, longitude: float) -> bool:
        if entry.latitude is None or entry.longitude is None:
            return False
        return distance_km(latitude, longitude, entry.latitude, entry.longitude) > NEARBY_KM

    def _enrich_from_gazetteer(self, name, country, row, latitude, longitude) -> None:
        """Remember the gazetteer place a new city is, when the row or the name says so."""
        given_id = as_float(row.get("geonames_id"))
        if given_id is not None:
            place = self.matcher.gazetteer.places.get(int(given_id))
            if place is None:
                return
            if place.country != country:
                raise ValidationError(
                    {
                        "geonames_id": f"GeoNames {int(given_id)} is {place_label(place)}, "
                        f"not in {country}."
                    }
                )
            self._place = place
            return
        match = self.matcher.match(name, country, latitude=latitude, longitude=longitude)
        if match.matched and match.city is None:
            self._place = match.place

    # --- Writing it -------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        old_slug = instance.slug
        super().import_instance(instance, row, **kwargs)
        if not instance.slug:
            instance.slug = old_slug or unique_city_slug(
                instance.name,
                str(instance.country),
                lambda s: City.objects.filter(slug=s).exists(),
            )
        if instance.pk is None and self._place is not None:
            place = self._place
            if instance.geonames_id is None:
                instance.geonames_id = place.geonames_id
            if instance.latitude is None and instance.longitude is None:
                instance.latitude = Decimal(f"{place.latitude:.6f}")
                instance.longitude = Decimal(f"{place.longitude:.6f}")
            if instance.population is None:
                instance.population = place.population or None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if "alternative_names" not in row or original.pk is None:
            return True
        wanted = set(parse_alternative_names(row["alternative_names"]))
        return wanted == {(a.name, a.kind) for a in original.alternative_names.all()}

    def after_save_instance(self, instance, row, **kwargs):
        # Later rows of the same file may name the city just added.
        if instance.slug not in self.matcher.index.by_slug:
            self.matcher.index.add(entries_for([instance])[0])
        if "alternative_names" not in row:
            return
        wanted = {
            name.upper(): (name, kind)
            for name, kind in parse_alternative_names(row["alternative_names"])
        }
        existing = {alt.name.upper(): alt for alt in instance.alternative_names.all()}
        instance.alternative_names.exclude(
            pk__in=[alt.pk for key, alt in existing.items() if key in wanted]
        ).delete()
        for key, (name, kind) in wanted.items():
            alt = existing.get(key)
            if alt is None:
                CityAlternativeName.objects.create(city=instance, name=name, kind=kind)
            elif (alt.name, alt.kind) != (name, kind):
                alt.name, alt.kind = name, kind
                alt.save(update_fields=["name", "kind"])
