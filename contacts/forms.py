"""The forms for a person and for one of their roles."""

from django import forms

from cities.forms import CityNameField
from contacts.models import ContactRole, Person
from programmes.forms import DATE_INPUT
from programmes.models import Pairing


class PersonForm(forms.ModelForm):
    organisation_city = CityNameField(
        label="City government",
        required=False,
        help_text="The city whose government they work for, e.g. Hat Yai (or a network).",
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "title",
            "organisation_city",
            "organisation_network",
            "email",
            "phone",
            "languages",
        ]


class ContactRoleForm(forms.ModelForm):
    city = CityNameField(
        required=False,
        help_text="Type a name, e.g. Hat Yai. Fill in one of city, network, programme, "
        "stream or pairing.",
    )
    pairing = forms.ModelChoiceField(
        queryset=Pairing.objects.all(),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        label="Pairing number",
        help_text="The number on the pairing's page (e.g. 12).",
        error_messages={"invalid_choice": "No pairing has that number: check the pairing's page."},
    )

    class Meta:
        model = ContactRole
        fields = [
            "person",
            "role",
            "city",
            "network",
            "programme",
            "stream",
            "pairing",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        help_texts = {"end_date": "Leave empty while they hold the role."}
