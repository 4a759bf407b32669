"""Forms for programmes and pairings; a pairing's participants are an inline formset.

The pairing pages save through ``programmes.services`` so the participant rules (at least
two cities, no city twice, no second pairing of the same cities) hold as everywhere else.
"""

from django import forms

from cities.forms import CityNameField
from citypairing.dates import validate_date_in_range
from programmes.choices import ParticipantRole
from programmes.models import Pairing, Programme, ThematicStream
from programmes.services import ParticipantSpec

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRECISION_HELP = (
    "How precisely the source gives the dates. For a month or a year, pick any day in it."
)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "acronym",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "website",
            "description",
            "is_published",
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        help_texts = {
            "slug": "The programme's address in the registry: lower case, hyphens.",
            "date_precision": PRECISION_HELP,
            "is_published": "Untick to hide the programme and its pairings from the public.",
        }


class StreamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme} – {obj.name}"


class PairingForm(forms.ModelForm):
    """A pairing's own fields; its cities come from the participant formset beside it."""

    status_changed_on = forms.DateField(
        label="Date of this status",
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_in_range],
        help_text="When the pairing reached its status (e.g. the MoU date). Empty means today.",
    )
    status_note = forms.CharField(
        label="Note on the status",
        max_length=300,
        required=False,
        help_text="Optional, e.g. “LoI signed at the Bangkok workshop”.",
    )

    # Set by the view from the participants, so an empty title becomes "Taichung – Prato".
    default_title = ""

    class Meta:
        model = Pairing
        fields = [
            "programme",
            "stream",
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "description",
            "is_published",
            "is_verified",
        ]
        field_classes = {"stream": StreamChoiceField}
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        help_texts = {
            "title": "Leave empty to name the pairing after its cities, e.g. “Taichung – Prato”.",
            "stream": "Optional: the thematic stream of the programme the pairing belongs to.",
            "date_precision": PRECISION_HELP,
        }

    field_order = [
        "programme",
        "stream",
        "title",
        "kind",
        "status",
        "status_changed_on",
        "status_note",
    ]

    # Fields the services take as arguments of their own rather than as model fields.
    service_fields = ("programme", "stream", "title", "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["stream"].queryset = ThematicStream.objects.select_related("programme")

    def clean_title(self):
        return self.cleaned_data["title"].strip() or self.default_title

    def model_fields(self) -> dict:
        """Return the cleaned values the services pass straight to the model."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in self.service_fields
        }


class ParticipantForm(forms.Form):
    city = CityNameField()
    role = forms.ChoiceField(choices=ParticipantRole.choices, initial=ParticipantRole.PARTNER)
    note = forms.CharField(max_length=300, required=False)


class BaseParticipantFormSet(forms.BaseFormSet):
    """The cities of a pairing with their roles; empty rows are ignored."""

    def filled_forms(self):
        return [
            form
            for form in self.forms
            if form.cleaned_data.get("city") and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.filled_forms():
            city = form.cleaned_data["city"]
            if city.pk in seen:
                form.add_error("city", f"{city.name} is already in this pairing: list it once.")
            seen.add(city.pk)

    def add_error(self, message) -> None:
        """Add an error about the participants as a whole (shown above the rows)."""
        self.non_form_errors().extend(message if isinstance(message, list) else [message])

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"

    def cities(self):
        return [form.cleaned_data["city"] for form in self.filled_forms()]

    def specs(self) -> list[ParticipantSpec]:
        return [
            ParticipantSpec(
                city_id=form.cleaned_data["city"].pk,
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
            )
            for form in self.filled_forms()
        ]


def participant_formset(*, extra: int):
    """Return the participant formset class with ``extra`` empty rows."""
    return forms.formset_factory(
        ParticipantForm, formset=BaseParticipantFormSet, extra=extra, can_delete=True
    )
