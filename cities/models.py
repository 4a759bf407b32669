"""Cities and other local governments that take part in city-to-city cooperation."""

import pghistory
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django_countries.fields import CountryField

from cities.choices import AlternativeNameKind, LocalGovernmentKind
from cities.geo import distance_km
from cities.querysets import CityQuerySet, SearchKey, SoundKey, folded
from core.models import TimeStampedModel


def name_key(function: type[models.Func], help_text: str) -> models.GeneratedField:
    """Return a key of the model's ``name`` that PostgreSQL computes (``function``) and
    stores, for ``CityQuerySet.search`` to compare through an index."""
    return models.GeneratedField(
        expression=function("name"),
        output_field=models.TextField(null=True),
        db_persist=True,
        help_text=help_text,
    )


# A BCP 47 tag as GeoNames and browsers write them (language, then script or region), or
# nothing when the language is not known.
LANGUAGE_TAG = r"^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$"
LANGUAGE_TAG_MESSAGE = (
    "Write the language as a code such as th, zh, zh-Hant, ko or ja (or leave it empty)."
)
SEARCH_KEY_HELP = "The name without case, accents, spaces or punctuation: HATYAI."
SOUND_KEY_HELP = "The search key with romanisation variants made one: VIJIT for Wichit."


# The search keys follow the name: history records the name, not them.
@pghistory.track(exclude=["search_key", "sound_key"])
class City(TimeStampedModel):
    """A local government: a city, municipality, district, regency, province or region.

    The registry calls them all cities, as the networks do. One city is one record,
    whatever spellings the sources use: variants live in ``alternative_names``.
    """

    name = models.CharField(
        max_length=200,
    )
    slug = models.SlugField(
        max_length=220,
        unique=True,
    )
    country = CountryField(
        help_text="ISO 3166-1 country or territory.",
    )
    admin_area = models.CharField(
        "administrative area",
        max_length=200,
        blank=True,
        help_text="Province, state or prefecture, e.g. Phuket Province.",
    )
    kind = models.CharField(
        "kind of local government",
        max_length=20,
        choices=LocalGovernmentKind.choices,
        default=LocalGovernmentKind.CITY,
    )
    population = models.PositiveBigIntegerField(
        null=True,
        blank=True,
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
    )
    geonames_id = models.PositiveIntegerField(
        "GeoNames id",
        null=True,
        blank=True,
        unique=True,
    )
    description = models.TextField(
        blank=True,
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="city",
    )
    search_key = name_key(SearchKey, SEARCH_KEY_HELP)
    sound_key = name_key(SoundKey, SOUND_KEY_HELP)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "country"]
        verbose_name_plural = "cities"
        indexes = [
            models.Index(fields=["country", "name"], name="city_country_name_idx"),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="city_name_trgm_idx"),
            # CityQuerySet.search: accent- and case-blind substring and similarity matches.
            GinIndex(
                OpClass(folded("name"), name="gin_trgm_ops"), name="city_name_folded_trgm_idx"
            ),
            GinIndex(
                OpClass(folded("admin_area"), name="gin_trgm_ops"), name="city_area_folded_trgm_idx"
            ),
            models.Index(fields=["search_key"], name="city_search_key_idx"),
            GinIndex(OpClass("search_key", name="gin_trgm_ops"), name="city_search_key_trgm_idx"),
            models.Index(fields=["sound_key"], name="city_sound_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
                violation_error_message="Latitude must be between -90 and 90 degrees.",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
                violation_error_message="Longitude must be between -180 and 180 degrees.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="city_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=models.Q(name__regex=r"\S"),
                name="city_name_not_blank",
                violation_error_message="A city needs a name.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})" if self.country else self.name

    def get_absolute_url(self):
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = "Latitude must be between -90 and 90 degrees."
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = "Longitude must be between -180 and 180 degrees."
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            errors.setdefault(field, "Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def distance_km(self, other: "City") -> float | None:
        """Return the great-circle distance to ``other``, if both have coordinates."""
        if not (self.has_coordinates and other.has_coordinates):
            return None
        return distance_km(
            float(self.latitude),
            float(self.longitude),
            float(other.latitude),
            float(other.longitude),
        )

    @property
    def local_name(self):
        """Return the alternative name shown beside the English one, or None (reads the
        prefetched ``alternative_names``)."""
        return next((name for name in self.alternative_names.all() if name.is_local), None)

    @property
    def spellings(self) -> list:
        """Return the other spellings of the name (not the names in other languages)."""
        return [
            name for name in self.alternative_names.all() if name.kind != AlternativeNameKind.LOCAL
        ]

    @property
    def names_in_other_languages(self) -> list:
        """Return the names in other languages and scripts, the local one first."""
        names = [
            name for name in self.alternative_names.all() if name.kind == AlternativeNameKind.LOCAL
        ]
        return sorted(names, key=lambda name: (not name.is_local, name.language, name.name))


@pghistory.track(exclude=["search_key", "sound_key"])
class CityAlternativeName(models.Model):
    """Another name a source uses for a city: a spelling, a local name, an OCR slip."""

    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        related_name="alternative_names",
    )
    name = models.CharField(
        max_length=200,
    )
    kind = models.CharField(
        max_length=20,
        choices=AlternativeNameKind.choices,
        default=AlternativeNameKind.SPELLING,
    )
    language = models.CharField(
        max_length=12,
        blank=True,
        validators=[RegexValidator(LANGUAGE_TAG, LANGUAGE_TAG_MESSAGE)],
        help_text="The name's language as a BCP 47 tag where known: th, zh, ko, ja, vi…",
    )
    is_local = models.BooleanField(
        default=False,
        verbose_name="shown as the local name",
        help_text="Shown beside the English name on the city's pages (one name per city).",
    )
    search_key = name_key(SearchKey, SEARCH_KEY_HELP)
    sound_key = name_key(SoundKey, SOUND_KEY_HELP)

    class Meta:
        ordering = ["name"]
        indexes = [
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="cityaltname_name_trgm_idx"),
            GinIndex(
                OpClass(folded("name"), name="gin_trgm_ops"), name="cityaltname_folded_trgm_idx"
            ),
            models.Index(fields=["search_key"], name="cityaltname_search_key_idx"),
            GinIndex(
                OpClass("search_key", name="gin_trgm_ops"), name="cityaltname_search_trgm_idx"
            ),
            models.Index(fields=["sound_key"], name="cityaltname_sound_key_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                "city",
                Upper("name"),
                name="cityaltname_unique_per_city",
                violation_error_message="This city already has that alternative name.",
            ),
            models.UniqueConstraint(
                fields=["city"],
                condition=models.Q(is_local=True),
                name="cityaltname_one_local_name_per_city",
                violation_error_message="This city already has a name shown as its local "
                "name: untick that one first.",
            ),
            models.CheckConstraint(
                condition=models.Q(language__regex=LANGUAGE_TAG),
                name="cityaltname_language_is_a_tag",
                violation_error_message=LANGUAGE_TAG_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name
