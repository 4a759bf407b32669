"""Forms of the partner pages: the search for partners, the board's request, and the step
that turns a request into a proposed pairing.

``PartnerSearchForm`` reads the same parameters on the "Find partners" page and in the
API (``/api/v1/cities/{id}/partner-suggestions/``), so both accept and refuse alike.
"""

from django import forms
from django.db.models import Q
from django_countries import countries as all_countries

from cities.forms import CityNameField, countries_in_use
from core.views.lists import SEVERAL
from partners.models import PartnerRequest
from partners.ranking import REGIONS, PartnerFilters
from partners.rules import postable_programme_ids
from programmes.choices import ParticipantRole
from programmes.models import Programme, ThematicStream

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEED_OR_STREAM = "Choose a thematic stream or describe what the city needs (or both)."


def visible_streams(user):
    """Return the streams ``user`` may choose: those they may see, by programme."""
    return (
        ThematicStream.objects.visible_to(user)
        .select_related("programme")
        .order_by("programme__name", "order", "name")
    )


class StreamField(forms.ModelChoiceField):
    """A thematic stream, given by id or slug; shown as "Programme – Stream"."""

    default_error_messages = {
        "invalid_choice": "There is no thematic stream “%(value)s”: give a stream's id or slug.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Thematic stream")
        kwargs.setdefault("queryset", ThematicStream.objects.none())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.programme} – {obj.name}"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        key = "pk" if text.isdigit() else "slug"
        try:
            return self.queryset.get(**{key: text})
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            ) from None


class PartnerSearchForm(forms.Form):
    """What a city looks for, and the limits on the candidates."""

    stream = StreamField(
        empty_label="— any stream —",
        help_text="Experience in this stream counts most.",
    )
    need = forms.CharField(
        label="Or describe the need",
        max_length=200,
        required=False,
        help_text="In a few words, e.g. “sponge city flood retention”.",
    )
    exclude_same_country = forms.BooleanField(
        label="Exclude cities of the same country",
        required=False,
    )
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Anywhere")] + list(REGIONS.items()),
        required=False,
        help_text="Neighbours and continents as GeoNames records them.",
    )
    country = forms.MultipleChoiceField(
        label="Only these countries",
        choices=(),
        required=False,
        help_text=SEVERAL,
    )
    min_distance_km = forms.IntegerField(label="At least (km away)", min_value=0, required=False)
    max_distance_km = forms.IntegerField(label="At most (km away)", min_value=0, required=False)
    min_population = forms.IntegerField(label="Population from", min_value=0, required=False)
    max_population = forms.IntegerField(label="Population up to", min_value=0, required=False)

    def __init__(self, *args, user=None, country_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = visible_streams(user)
        self.fields["country"].choices = (
            country_choices if country_choices is not None else list(all_countries)
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("stream") and not (data.get("need") or "").strip():
            raise forms.ValidationError(NEED_OR_STREAM, code="required")
        for low, high, what in (
            ("min_distance_km", "max_distance_km", "distance"),
            ("min_population", "max_population", "population"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(
                    high,
                    f"The lowest {what} is above the highest: swap the two numbers.",
                )
        return data

    def filters(self) -> PartnerFilters:
        data = self.cleaned_data
        return PartnerFilters(
            exclude_same_country=bool(data.get("exclude_same_country")),
            countries=tuple(data.get("country") or ()),
            region=data.get("region") or "",
            min_distance_km=data.get("min_distance_km"),
            max_distance_km=data.get("max_distance_km"),
            min_population=data.get("min_population"),
            max_population=data.get("max_population"),
        )


def check_stream_programme(form, stream, programme) -> None:
    """Say so on the stream field when the stream belongs to another programme."""
    if stream is not None and programme is not None and stream.programme_id != programme.pk:
        form.add_error(
            "stream", f"“{stream.name}” is a stream of {stream.programme}, not of {programme}."
        )


def page_search_form(data, user) -> PartnerSearchForm:
    """Return the search form of the pages: countries only those with cities."""
    return PartnerSearchForm(data, user=user, country_choices=countries_in_use())


NOT_YOUR_PROGRAMME = (
    "You can post a request only in a programme your network runs or partners in, or in "
    "none: choose one of those."
)


class PartnerRequestForm(forms.ModelForm):
    """A post on the seeking-partners board."""

    city = CityNameField(
        label="City seeking partners",
        help_text="Type the city's name and pick a suggestion, e.g. “Hat Yai”.",
    )
    stream = StreamField(
        empty_label="— none —",
        help_text="Optional: the stream the partnership would belong to.",
    )

    class Meta:
        model = PartnerRequest
        fields = [
            "city",
            "theme",
            "themes",
            "programme",
            "stream",
            "partner_kind",
            "preferred_countries",
            "deadline",
            "description",
        ]
        widgets = {"deadline": DATE_INPUT}
        help_texts = {
            "programme": "Optional: the programme that would run the pairing.",
            "preferred_countries": "Optional. " + SEVERAL,
            "deadline": "When the city needs an answer by.",
            "description": "Anything partners should know: the challenge, what was tried.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.visible_to(user)
        self.allowed = postable_programme_ids(user, keep=self.instance.programme_id)
        if self.allowed is not None:
            programmes = programmes.filter(pk__in=self.allowed)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = "— none —"
        self.fields["programme"].error_messages["invalid_choice"] = NOT_YOUR_PROGRAMME
        self.fields["stream"].queryset = visible_streams(user)

    def clean(self):
        data = super().clean()
        stream, programme = data.get("stream"), data.get("programme")
        if stream is not None and programme is None:
            if self.allowed is not None and stream.programme_id not in self.allowed:
                self.add_error("stream", NOT_YOUR_PROGRAMME)
                return data
            data["programme"] = stream.programme
            self.instance.programme = stream.programme
        else:
            check_stream_programme(self, stream, programme)
        return data


class RequestToPairingForm(forms.Form):
    """Choose the partner cities (from the suggestions) and the pairing's programme."""

    partners = forms.TypedMultipleChoiceField(
        label="Partner cities",
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one partner city."},
    )
    programme = forms.ModelChoiceField(
        label="Programme of the pairing",
        queryset=Programme.objects.none(),
        error_messages={"required": "Choose the programme the pairing belongs to."},
    )
    stream = StreamField(empty_label="— none —")

    def __init__(self, *args, request_obj, suggestions, programmes, **kwargs):
        kwargs.setdefault(
            "initial",
            {"programme": request_obj.programme_id, "stream": request_obj.stream_id},
        )
        super().__init__(*args, **kwargs)
        self.fields["partners"].choices = [
            (s.city.pk, f"{s.city.name} ({s.city.country.code})") for s in suggestions
        ]
        self.fields["programme"].queryset = programmes
        self.fields["stream"].queryset = ThematicStream.objects.select_related("programme").filter(
            Q(programme__in=programmes)
        )
        self.role_label = dict(ParticipantRole.choices)[ParticipantRole.POTENTIAL_PARTNER]

    def clean(self):
        data = super().clean()
        check_stream_programme(self, data.get("stream"), data.get("programme"))
        return data
