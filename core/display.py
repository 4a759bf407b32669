"""Stored values for people: field labels, choice labels, related records' names.

Used wherever a change is shown: the conflict screen of an edit form, the API's 412
answer, and the history pages. A related record the reader may not see is named by its
number only (``core.visibility``).
"""

from dataclasses import dataclass

from django.utils.text import capfirst

from core.visibility import visible_pks


@dataclass
class Change:
    """One field of one event, readable: its label and the values before and after."""

    field: str
    label: str
    before: object
    after: object
    before_display: str
    after_display: str


def field_of(model, column: str):
    """Return the model field stored in ``column`` (a name or attname), or None."""
    for model_field in model._meta.concrete_fields:
        if column in (model_field.name, model_field.attname):
            return model_field
    return None


class ValueFormatter:
    """Turn stored values into words: choice labels, related records' names, Yes/No.

    Related records are fetched once per model for a whole page of entries; an
    unpublished one the reader may not see is shown by its number only.
    """

    def __init__(self, user, entries_data):
        self.user = user
        wanted: dict = {}
        for model, data in entries_data:
            for column, value in data.items():
                model_field = field_of(model, column)
                if model_field is not None and model_field.is_relation and value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
        self.names: dict = {}
        for related, ids in wanted.items():
            visible = visible_pks(user, related, ids)
            for obj in related._default_manager.filter(pk__in=ids):
                self.names[(related, obj.pk)] = str(obj) if obj.pk in visible else f"#{obj.pk}"

    def display(self, model, column: str, value) -> str:
        model_field = field_of(model, column)
        if value is None or value == "":
            return "—"
        if model_field is None:
            return str(value)
        if model_field.is_relation:
            return self.names.get((model_field.related_model, value), f"#{value} (deleted)")
        if model_field.choices:
            # django-countries' fields have no ``flatchoices``; a multiple one stores "TH,VN".
            labels = dict(model_field.flatchoices or model_field.choices)
            if getattr(model_field, "multiple", False) and isinstance(value, str):
                return ", ".join(str(labels.get(code, code)) for code in value.split(","))
            return str(labels.get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)

    def label(self, model, column: str) -> str:
        model_field = field_of(model, column)
        if model_field is None:
            return column
        return capfirst(str(model_field.verbose_name))


def readable_changes(user, instance, field_changes) -> list[Change]:
    """Return ``concurrency.FieldChange``s of ``instance`` with labels and display values."""
    model = type(instance)
    formatter = ValueFormatter(
        user,
        [
            (model, {change.field: change.before for change in field_changes}),
            (model, {change.field: change.after for change in field_changes}),
        ],
    )
    return [
        Change(
            field=change.field,
            label=formatter.label(model, change.field),
            before=change.before,
            after=change.after,
            before_display=formatter.display(model, change.field, change.before),
            after_display=formatter.display(model, change.field, change.after),
        )
        for change in field_changes
    ]
