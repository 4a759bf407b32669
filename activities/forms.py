"""The activity form: dates with a precision, the programme it belongs to, its cities."""

from django import forms

from activities.models import Activity
from cities.forms import CityListField, CityNameField
from programmes.forms import DATE_INPUT, PRECISION_HELP, ProgrammeStreamsMixin, StreamChoiceField
from programmes.models import Pairing


class ActivityForm(ProgrammeStreamsMixin, forms.ModelForm):
    location_city = CityNameField(
        label="Host city",
        required=False,
        help_text="Where it takes place, if in one city. Type a name, e.g. Kaohsiung.",
    )
    cities = CityListField(
        label="Participating cities",
        required=False,
        help_text="One city per box; an empty box is ignored.",
    )
    pairing = forms.ModelChoiceField(
        queryset=Pairing.objects.all(),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        label="Pairing number",
        help_text="The number on the pairing's page (e.g. 12), if the activity belongs to one.",
        error_messages={"invalid_choice": "No pairing has that number: check the pairing's page."},
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "programme",
            "stream",
            "pairing",
            "location_city",
            "location",
            "cities",
            "organisers",
            "description",
            "outcomes",
            "themes",
            "cost_estimate",
            "cost_currency",
            "is_published",
        ]
        field_classes = {"stream": StreamChoiceField}
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        help_texts = {
            "date_precision": PRECISION_HELP + " “March–April 2026” is month precision, "
            "start in March and end in April.",
            "end_date": "Leave empty for an activity within one day, month or year.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_streams()
        self.fields["organisers"].help_text = "Hold Ctrl (⌘ on a Mac) to choose several."
