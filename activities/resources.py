"""Import and export of activities (CSV, XLSX, JSON).

An activity is found by its programme, title and start date. Related records are named
by natural keys: programme and stream slugs, the pairing as its cities' slugs joined by
"+" ("taichung+prato"), cities as "slug;name|country", organisers as network slugs.
"""

from django.core.exceptions import ValidationError
from import_export import widgets

from activities.choices import ActivityKind, ActivityStatus
from activities.models import Activity
from cities.resources import CityListWidget, CityMatchingResource, CityReferenceWidget
from core.dates import DatePrecision, period_end, period_start
from core.resources import (
    RegistryResource,
    SlugListWidget,
    SlugWidget,
    choice_field,
    column,
    date_field,
    flag_field,
    is_blank,
    text_field,
)
from programmes.models import Network, Pairing, Programme, ThematicStream

PAIRING_SEPARATOR = "+"


class PairingReferenceWidget(widgets.ForeignKeyWidget):
    """A pairing of the row's programme, named by its cities: "taichung+prato"."""

    resource = None

    def __init__(self, **kwargs):
        super().__init__(Pairing, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        references = [r.strip() for r in str(value).split(PAIRING_SEPARATOR) if r.strip()]
        cities = self.resource.cities_for(references)
        programme = self.resource.fields["programme"].clean(row) if row else None
        if programme is None:
            raise ValueError("Give the programme of an activity that belongs to a pairing.")
        wanted = sorted(city.pk for city in cities)
        matches = [
            pairing
            for pairing in Pairing.objects.filter(
                programme=programme, participants__city=cities[0]
            ).prefetch_related("participants")
            if sorted(p.city_id for p in pairing.participants.all()) == wanted
        ]
        if not matches:
            raise ValueError(f"no pairing of {' and '.join(references)} in “{programme.slug}”")
        if len(matches) > 1:
            raise ValueError(
                f"{len(matches)} pairings of {' and '.join(references)} in “{programme.slug}” "
                "(in different streams): set the activity's pairing in the registry instead"
            )
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return PAIRING_SEPARATOR.join(sorted(p.city.slug for p in value.participants.all()))


class ActivityResource(CityMatchingResource):
    programme = column("programme", SlugWidget(Programme))
    title = text_field("title")
    start_date = date_field("start_date")
    end_date = date_field("end_date")
    date_precision = choice_field("date_precision", DatePrecision, DatePrecision.DAY)
    kind = choice_field("kind", ActivityKind, ActivityKind.MEETING)
    status = choice_field("status", ActivityStatus, ActivityStatus.PLANNED)
    stream = column("stream", SlugWidget(ThematicStream))
    pairing = column("pairing", PairingReferenceWidget())
    location_city = column("location_city", CityReferenceWidget())
    location = text_field("location")
    cities = column("cities", CityListWidget())
    organisers = column("organisers", SlugListWidget(Network))
    description = text_field("description")
    outcomes = text_field("outcomes")
    cost_estimate = column("cost_estimate", widgets.DecimalWidget())
    cost_currency = text_field("cost_currency")
    is_published = flag_field("is_published", default=True)
    checked_first = ("programme", "stream", "pairing", "location_city", "cities", "organisers")

    class Meta(RegistryResource.Meta):
        model = Activity
        name = "Activities"
        fields = [
            "programme",
            "title",
            "start_date",
            "end_date",
            "date_precision",
            "kind",
            "status",
            "stream",
            "pairing",
            "location_city",
            "location",
            "cities",
            "organisers",
            "description",
            "outcomes",
            "cost_estimate",
            "cost_currency",
            "is_published",
        ]
        import_id_fields = ["title", "start_date"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "programme", "stream", "location_city", "pairing"
        ).prefetch_related("cities", "organisers", "pairing__participants__city")

    def get_instance(self, instance_loader, row):
        title = str(row.get("title") or "").strip()
        errors = {}
        try:
            start = self.fields["start_date"].clean(row)
        except ValueError as error:
            errors["start_date"] = ValidationError(str(error))
            start = None
        try:
            precision = self.fields["date_precision"].clean(row)
        except ValueError:
            precision = DatePrecision.DAY
        programme = None
        if "programme" in row:
            try:
                programme = self.fields["programme"].clean(row)
            except ValueError as error:
                errors["programme"] = ValidationError(str(error))
        if not title:
            errors["title"] = ValidationError("Give the activity's title.")
        if start is None and "start_date" not in errors:
            errors["start_date"] = ValidationError("Give the start date (YYYY-MM-DD).")
        if errors:
            raise ValidationError(errors)
        found = list(
            Activity.objects.filter(
                title=title, start_date=period_start(start, precision), programme=programme
            )[:2]
        )
        if len(found) > 1:
            raise ValidationError(
                {
                    "title": f"Several activities called “{title}” start on {start} in this "
                    "programme: edit them in the registry, where each has its own page."
                }
            )
        return found[0] if found else None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The same normalisation as Activity.clean(), so an unchanged row compares equal.
        if instance.start_date:
            precision = instance.date_precision
            instance.start_date = period_start(instance.start_date, precision)
            instance.end_date = period_end(instance.end_date or instance.start_date, precision)
        instance.cost_currency = (instance.cost_currency or "").upper()
