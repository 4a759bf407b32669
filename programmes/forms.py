"""Forms for programmes and pairings; a pairing's participants are an inline formset.

The pairing pages save through ``programmes.services`` so the participant rules (at least
two cities, no city twice, no second pairing of the same cities) hold as everywhere else.
"""

from itertools import groupby
from operator import attrgetter

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from cities.forms import CityNameField, RepeatedTextInput
from core.dates import validate_date_in_range
from core.numbers import parse_whole_number
from core.views.choices import kept_for_anonymous
from core.views.lists import selected
from core.visibility import visible_to
from programmes.choices import ParticipantRole
from programmes.models import Network, Pairing, Programme, ThematicStream
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


class StreamChoiceIterator(ModelChoiceIterator):
    """The streams of the field's programme, or with none every stream under its programme."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        streams = self.queryset.select_related("programme").order_by(
            "programme__name", "programme_id", "order", "name"
        )
        if self.field.programme_id is not None:
            for stream in streams.filter(programme_id=self.field.programme_id):
                yield self.choice(stream)
            return
        for programme, group in groupby(streams, key=attrgetter("programme")):
            yield (programme.name, [self.choice(stream) for stream in group])


class StreamChoiceField(forms.ModelChoiceField):
    """A thematic stream, offered among those of ``programme_id`` (all when it is None).

    Only the options narrow: any stream of the queryset is accepted, and the model's
    ``clean()`` refuses, in words, a stream of another programme than the record's.
    """

    iterator = StreamChoiceIterator

    def __init__(self, *args, programme_id=None, **kwargs):
        self.programme_id = programme_id
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


def programme_id_in(value) -> int | None:
    """Return the programme id a form field's raw value or initial gives, if any."""
    return parse_whole_number(getattr(value, "pk", value))


class ProgrammeStreamsMixin:
    """A form with ``programme`` and ``stream``: offer the chosen programme's streams only.

    The programme is the one posted, else the one the form starts from; with none yet,
    every stream is offered under its programme's name, so the form works without
    JavaScript. With JavaScript the programme select asks ``programmes:stream_options``
    (htmx) for its streams.
    """

    def limit_streams(self) -> None:
        field = self.fields["stream"]
        name = self.add_prefix("programme")
        if self.is_bound:
            programme_id = programme_id_in(self.data.get(name))
        else:
            programme_id = programme_id_in(
                self.initial.get("programme") or getattr(self.instance, "programme_id", None)
            )
        field.programme_id = programme_id
        stream_id = f"#{self['stream'].auto_id}"
        self.fields["programme"].widget.attrs.update(
            {
                "data-hx-get": reverse("programmes:stream_options"),
                "data-hx-trigger": "change",
                "data-hx-target": stream_id,
                "data-hx-include": stream_id,
                "data-hx-swap": "innerHTML",
            }
        )


class PairingForm(ProgrammeStreamsMixin, forms.ModelForm):
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
            "themes",
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
        self.limit_streams()

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


# --- List pages' filter panels -------------------------------------------------------


def use_slug_box(field, help_text: str) -> None:
    """Give a filter by slug a text box, for when its list of options is too long."""
    field.widget = RepeatedTextInput(attrs={"autocomplete": "off"}, extra=0, item_label="Slug")
    field.help_text = help_text


NARROWED_HELP = {
    "stream": "Choose a programme to pick from its streams, or type a stream's slug.",
    "network": "Choose a programme to pick from its networks, or type a network's slug.",
}


def narrow_related_choices(form, user) -> None:
    """Offer only the programmes, streams and networks that make sense for the filter.

    Every option of a select is HTML: at a thousand streams and networks the panel was
    most of the page. Programmes (a few hundred at most) stay a list, of those the user may
    see; streams and networks list those of the chosen programmes, or else take a slug
    typed into a text box. Only the widgets change: any slug in the URL still filters.
    Every list page's filter form passes through it (``ProgrammesConfig.ready()``
    registers it with ``core.views.lists.register_filter_form_hook``).
    """
    if "programme" in form.fields:
        form.fields["programme"].widget.choices = kept_for_anonymous(
            "programmes",
            user,
            lambda: tuple(
                visible_to(user, Programme.objects.order_by("name")).values_list("slug", "name")
            ),
        )
    chosen_slugs = selected(form, "programme")
    if not chosen_slugs:  # each list is a slug box: no rule to build
        for name, help_text in NARROWED_HELP.items():
            if name in form.fields:
                use_slug_box(form.fields[name], help_text)
        return
    chosen = visible_to(user, Programme.objects.filter(slug__in=chosen_slugs))
    narrowing = {
        "stream": ThematicStream.objects.filter(programme__in=chosen).order_by(
            "programme", "order"
        ),
        "network": Network.objects.filter(programmes__in=chosen).distinct().order_by("name"),
    }
    for name, options in narrowing.items():
        if name not in form.fields:
            continue
        slugs = selected(form, name)
        if slugs:
            # The typed slugs stay chosen, if they name a record the user may see.
            options = visible_to(
                user,
                options.model.objects.filter(Q(pk__in=options.values("pk")) | Q(slug__in=slugs)),
            )
            form.fields[name].widget.choices = list(options.values_list("slug", "name"))
            continue
        form.fields[name].widget.choices = kept_for_anonymous(
            f"{name}s of {','.join(sorted(chosen_slugs))}",
            user,
            lambda options=options: tuple(options.values_list("slug", "name")),
        )
