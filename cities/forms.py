"""Forms for cities, and the city-name fields other apps' forms and filters use.

There are tens of thousands of cities, too many for a <select>: a city is typed by name
("Wichit", "Iloilo City (PH)") and resolved here, with suggestions from
``cities:city_suggest`` filling a <datalist> as the officer types (htmx).
"""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join

from cities.matching import parse_reference
from cities.models import City
from core.numbers import parse_whole_number


def resolve_city(text: str) -> City:
    """Return the one city ``text`` names, or raise a ValidationError that says what to do.

    Reads the text as the importers do (``cities.matching.parse_reference``: a slug,
    "Name (CC)", "name|country" or a name); one record is looked up here rather than the
    whole registry loaded into an index.
    """
    reference = parse_reference(text)
    text = reference.text
    if reference.unknown_country:
        raise forms.ValidationError(
            "No country is called “%(country)s”: give its ISO code, e.g. “%(name)s (PH)”.",
            code="unknown_country",
            params={"country": reference.unknown_country, "name": reference.name},
        )
    cities = City.objects.all()
    if reference.country:
        cities = cities.filter(country=reference.country)
    candidates = City.objects.none() if reference.country else cities.filter(slug=text.lower())
    if not candidates:
        candidates = cities.filter(name__unaccent__iexact=reference.name)
    if not candidates:
        candidates = cities.filter(alternative_names__name__unaccent__iexact=reference.name)
    found = list(candidates.distinct()[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise forms.ValidationError(
            "Several cities are called “%(text)s”: add the country code, e.g. “%(example)s”.",
            code="ambiguous",
            params={"text": text, "example": str(found[0])},
        )
    suggestions = City.objects.search(text)[:3]
    if suggestions:
        names = ", ".join(f"“{city}”" for city in suggestions)
        raise forms.ValidationError(
            "No city is called “%(text)s”. Did you mean %(names)s?",
            code="unknown",
            params={"text": text, "names": names},
        )
    raise forms.ValidationError(
        "No city is called “%(text)s”. Check the spelling, or add the city in the admin first.",
        code="unknown",
        params={"text": text},
    )


def city_label(value) -> str:
    """Return how a city is written in a form field ("Wichit (TH)")."""
    if isinstance(value, City):
        return str(value)
    if (pk := parse_whole_number(value)) is not None:
        city = City.objects.filter(pk=pk).first()
        return str(city) if city else ""
    return value or ""


SUGGEST_LABELS = "label"  # suggestions fill in "Name (CC)", what forms read
SUGGEST_SLUGS = "slug"  # suggestions fill in slugs, what filters read


def suggestion_attrs(suggest: str = SUGGEST_LABELS) -> dict:
    """Return the attributes that make a text box ask htmx for city suggestions.

    htmx GETs ``cities:city_suggest`` as the officer types (the box's own value, named by
    ``HX-Trigger-Name``) and puts the answer's <option>s in the box's <datalist>
    (``with_suggestions``). ``push-url`` is off, as a filter form around it sets it on.
    """
    attrs = {
        "autocomplete": "off",
        "spellcheck": "false",
        "data-hx-get": reverse_lazy("cities:city_suggest"),
        "data-hx-trigger": "input changed delay:200ms",
        "data-hx-sync": "this:replace",
        "data-hx-swap": "innerHTML",
        "data-hx-push-url": "false",
    }
    if suggest == SUGGEST_SLUGS:
        attrs["data-hx-vals"] = '{"value": "slug"}'
    return attrs


def with_suggestions(box_attrs: dict) -> tuple[dict, str]:
    """Return a suggesting box's attributes tied to its own <datalist>, and that list."""
    list_id = f"{box_attrs['id']}-suggestions"
    return {**box_attrs, "list": list_id, "data-hx-target": f"#{list_id}"}, list_id


class CityInput(forms.TextInput):
    """A text box for a city name with suggestions as one types (when JavaScript runs)."""

    def __init__(self, attrs=None, suggest=SUGGEST_LABELS):
        super().__init__({**suggestion_attrs(suggest), **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not box_id:
            return super().render(name, value, attrs, renderer)
        attrs, list_id = with_suggestions({**(attrs or {}), "id": box_id})
        return format_html(
            '{}<datalist id="{}"></datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
        )


class CityNameField(forms.Field):
    """One city, typed by name, slug or "Name (CC)"."""

    widget = CityInput

    def prepare_value(self, value):
        return city_label(value)

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        return resolve_city(value)


class RepeatedTextInput(forms.Widget):
    """Several text boxes of one name (one value each), plus ``extra`` empty ones."""

    def __init__(self, attrs=None, extra=1, item_label="Value"):
        super().__init__(attrs)
        self.extra = extra
        self.item_label = item_label

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else [data.get(name)]
        return [value for value in values if value and value.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if value is None or value == "":
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        values = values + [""] * (self.extra if values else max(self.extra, 1))
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", f"id_{name}")
        boxes = []
        for index, item in enumerate(values):
            box_attrs = {**attrs, "type": "text", "name": name, "value": item}
            box_attrs["id"] = base_id if index == 0 else f"{base_id}_{index}"
            if index:
                box_attrs["aria-label"] = f"{self.item_label} {index + 1}"
            box_attrs.pop("required", None)
            suggestions = ""
            if "data-hx-get" in box_attrs:
                box_attrs, list_id = with_suggestions(box_attrs)
                suggestions = format_html('<datalist id="{}"></datalist>', list_id)
            boxes.append(format_html("<input{}>{}", flatatt(box_attrs), suggestions))
        return format_html(
            '<div class="repeated-inputs" data-repeat="{}">{}</div>',
            self.item_label,
            format_html_join("", "{}", ((box,) for box in boxes)),
        )

    def id_for_label(self, id_):
        return id_


def city_filter_widget() -> RepeatedTextInput:
    """Return the text box a filter by city slug shows (suggestions fill in slugs)."""
    return RepeatedTextInput(attrs=suggestion_attrs(SUGGEST_SLUGS), extra=0, item_label="City")


class CityListField(forms.Field):
    """Several cities, one per text box (the form shows an empty box to add one more)."""

    def __init__(self, *, extra=2, **kwargs):
        kwargs.setdefault(
            "widget",
            RepeatedTextInput(
                attrs=suggestion_attrs(SUGGEST_LABELS),
                extra=extra,
                item_label="City",
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if not value:
            return []
        items = value if isinstance(value, (list, tuple)) else list(value)
        return [city_label(item) for item in items]

    def to_python(self, value):
        if not value:
            return []
        cities, errors = [], []
        for text in value:
            try:
                city = resolve_city(text)
            except forms.ValidationError as error:
                errors.extend(error.messages)
                continue
            if city not in cities:
                cities.append(city)
        if errors:
            raise forms.ValidationError(errors)
        return cities

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class CityForm(forms.ModelForm):
    """Edit a city's own details (its pairings and memberships are edited elsewhere)."""

    class Meta:
        model = City
        fields = [
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
        ]
        help_texts = {
            "slug": "The city's address in the registry: lower case, hyphens, e.g. iloilo-city.",
            "latitude": "Decimal degrees, north positive, e.g. 10.720.",
            "longitude": "Decimal degrees, east positive, e.g. 122.562.",
        }


def countries_in_use() -> list[tuple[str, str]]:
    """Return (code, name) of the countries the registry has cities in, by name."""
    from django_countries import countries

    codes = City.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])
