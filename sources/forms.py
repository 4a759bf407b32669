"""Forms of the sources app: bringing a document in, citing a source from a record."""

from django import forms
from django.core.exceptions import ValidationError

from core.dates import DatePrecision, validate_date_in_range
from sources.choices import SourceKind
from sources.models import Source
from sources.querysets import managed_programme_ids


class SourceAddForm(forms.Form):
    """A document to add: a file or its pasted text, and what it is."""

    file = forms.FileField(
        required=False,
        label="File",
        help_text="A PDF, a Word document (DOCX), an HTML page or a text file.",
    )
    text = forms.CharField(
        required=False,
        label="Or paste its text",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Separate pages with a form feed to keep page numbers, if you wish.",
    )
    title = forms.CharField(
        max_length=300,
        required=False,
        help_text="Left empty, the document's own title is used.",
    )
    kind = forms.ChoiceField(choices=SourceKind.choices, initial=SourceKind.NEWS)
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False,
        label="Published on",
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day of its month or year when only that is known.",
    )
    published_precision = forms.ChoiceField(
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        label="Date known to the",
    )
    url = forms.URLField(max_length=500, required=False, label="Address (URL)")
    programme = forms.ModelChoiceField(
        queryset=Source._meta.get_field("programme").related_model.objects.none(),
        required=False,
        help_text="The programme whose officers may see it until it is published.",
    )
    is_published = forms.BooleanField(
        required=False,
        label="Published: everyone may read it",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        programmes = Source._meta.get_field("programme").related_model.objects.order_by("name")
        if user.has_perm("sources.add_source"):
            self.fields["programme"].queryset = programmes
        else:
            self.fields["programme"].queryset = programmes.filter(
                pk__in=managed_programme_ids(user)
            )
            self.fields["programme"].required = True
            self.fields["programme"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if upload and text.strip():
            raise ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise ValidationError({"file": "Choose the document's file, or paste its text below."})
        return cleaned


class CitationAddForm(forms.Form):
    """A quote of a source that supports the record the page is about."""

    source = forms.ModelChoiceField(queryset=Source.objects.none())
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Copy the words as the source has them; line breaks, hyphens at line ends "
        "and case may differ.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Source.objects.visible_to(user).exclude(text="").order_by("title")
        )
