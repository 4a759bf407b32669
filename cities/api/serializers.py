"""Cities in the API, and the small city object other records embed."""

from django.db.models import Case, CharField, F, Value, When
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin

from cities.models import City, CityAlternativeName
from cities.querysets import local_name_of
from core.api.serializers import (
    AnnotatedMethodField,
    PrefetchedListSerializer,
    RecordURLField,
    RefSerializer,
    RegistryModelSerializer,
    WebURLField,
    prefetched_list,
)
from core.numbers import parse_whole_number
from sources.api.serializers import CitationSerializer


class CountryCodeField(CountryField):
    """django-countries' field, reading a stored country's code as it is.

    Its own ``to_representation`` looks every value up again (``countries.alpha2``): a
    few milliseconds for a page of cities that only needs the code that is stored.
    """

    def to_representation(self, obj):
        code = getattr(obj, "code", obj)
        if not code:
            return None if self.allow_null else ""
        return code

    def lean_sql(self, column: str):
        """Return the SQL of the JSON value ``to_representation`` gives (``core.api.lean``)."""
        empty = Value(None) if self.allow_null else Value("")
        return Case(When(**{column: ""}, then=empty), default=F(column), output_field=CharField())

    def to_internal_value(self, data):
        # django-countries reads any text str.isdigit() accepts as a numeric code with
        # int(): "²", or ten thousand digits, failed there instead of being refused.
        code = data.get("code") if isinstance(data, dict) else data
        if isinstance(code, str) and code.isdigit() and parse_whole_number(code) is None:
            self.fail("invalid_choice", input=code)
        return super().to_internal_value(data)


class CountryCodeMixin(CountryFieldMixin):
    """``CountryFieldMixin`` with ``CountryCodeField`` for single-country fields."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is CountryField:
            field_class = CountryCodeField
        return field_class, field_kwargs


class CityRefSerializer(CountryCodeMixin, RefSerializer):
    """A city as other records embed it: enough to show and map it."""

    class Meta:
        model = City
        fields = ["id", "name", "slug", "country", "latitude", "longitude"]
        read_only_fields = fields


class CityAlternativeNameSerializer(RefSerializer):
    class Meta:
        list_serializer_class = PrefetchedListSerializer
        model = CityAlternativeName
        fields = ["name", "kind", "language", "is_local"]
        read_only_fields = fields


class CitySerializer(CountryCodeMixin, RegistryModelSerializer):
    url = RecordURLField(view_name="api:city-detail")
    web_url = WebURLField("cities:city_detail", "slug")
    alternative_names = CityAlternativeNameSerializer(many=True, read_only=True)
    local_name = AnnotatedMethodField(
        lambda: local_name_of("pk")["local_name"],
        help_text="The city's name in its own language and script, where known: หาดใหญ่.",
    )
    matched_name = AnnotatedMethodField(
        # A search annotates it (CityQuerySet.search); any other list has none.
        lambda: Value(None, output_field=CharField()),
        help_text="With ?q=: the other name the search found the city by (高雄), else null.",
    )
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = City
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "slug",
            "country",
            "admin_area",
            "kind",
            "population",
            "latitude",
            "longitude",
            "geonames_id",
            "description",
            "local_name",
            "matched_name",
            "alternative_names",
            "citations",
            "created",
            "modified",
        ]

    def get_local_name(self, city) -> str | None:
        names = prefetched_list(city, ["alternative_names"])
        if names is None:
            local = city.local_name
            return local.name if local else None
        return next((name.name for name in names if name.is_local), None)

    def get_matched_name(self, city) -> str | None:
        return getattr(city, "matched_name", None)
