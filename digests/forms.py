from django import forms

from digests.models import TIME_ZONES, DigestPreference


class DigestPreferenceForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in TIME_ZONES],
        help_text="The digest comes at 08:00 in this time zone.",
    )

    class Meta:
        model = DigestPreference
        fields = ["frequency", "time_zone"]
        widgets = {"frequency": forms.RadioSelect}
