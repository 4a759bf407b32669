"""The conflict screen of the edit pages: nobody's save silently replaces another's.

When a save is refused because someone else saved the record meanwhile
(``concurrency.ConflictError``), the form comes back showing THEIR current values. A field
only they changed simply takes their value; a field only you changed keeps yours; a field
you both changed, to different values, is listed with their value (in the form) and yours
beside it, and the next save goes through only once you have chosen, for each such field,
"keep theirs" or "use mine". The choices travel in the form: ``conflict_fields`` names the
fields, ``conflict_mine_<field>`` carries your value and ``conflict_choice_<field>`` the
choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import QueryDict

CONFLICT_FIELDS = "conflict_fields"
KEEP_THEIRS = "theirs"
USE_MINE = "mine"
EMPTY = "—"
CHOICES_KEPT = (
    "Someone else saved this record while you were editing it: your choices below are kept; "
    "correct what is marked and save again."
)


def choice_name(name: str) -> str:
    return f"conflict_choice_{name}"


def mine_name(name: str) -> str:
    return f"conflict_mine_{name}"


@dataclass
class ConflictRow:
    """A field both users changed: their value is in the form, yours is kept beside it."""

    name: str
    label: str
    theirs: str
    mine: str
    mine_values: list[str]
    choice: str = ""

    @property
    def choice_field(self) -> str:
        return choice_name(self.name)

    @property
    def mine_field(self) -> str:
        return mine_name(self.name)


def unresolved_message(labels: list[str]) -> str:
    """Say which fields still need a choice, and what to do."""
    return (
        "Someone else changed these fields too: choose for each whether to keep their value "
        f"or use yours, then save again ({', '.join(labels)})."
    )


def apply_choices(data: QueryDict, required=()) -> tuple[QueryDict, list[str]]:
    """Return the form data with each "use mine" applied, and the fields left unchosen.

    ``required`` are the fields the server knows to be in conflict (``remember``), so a
    save that leaves out the page's hidden fields is refused all the same.
    """
    data = data.copy()
    names = list(dict.fromkeys([*required, *data.getlist(CONFLICT_FIELDS)]))
    data.setlist(CONFLICT_FIELDS, names)
    unresolved = []
    for name in names:
        choice = data.get(choice_name(name))
        if choice == USE_MINE:
            data.setlist(name, data.getlist(mine_name(name)))
        elif choice != KEEP_THEIRS:
            unresolved.append(name)
    return data, unresolved


def posted_values(form, name: str) -> list[str]:
    """Return what the form's data holds for field ``name``, as the browser sent it."""
    field = form.fields[name]
    if isinstance(field.widget, forms.CheckboxInput):
        return ["on"] if field.widget.value_from_datadict(form.data, form.files, name) else []
    return [str(value) for value in form.data.getlist(name)]


def shown_values(bound) -> list[str]:
    """Return a bound field's value (of an unbound form: the record's) as form data."""
    value, widget = bound.value(), bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if value else []
    if value is None:
        return [""]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    formatted = widget.format_value(value)
    if isinstance(formatted, list | tuple):
        return [str(item) for item in formatted]
    return ["" if formatted is None else str(formatted)]


def cleaned(field, values: list[str]):
    """Return ``values`` as the field reads them (so "1200.5" equals "1200.50")."""
    if isinstance(field.widget, forms.CheckboxInput):
        return bool(values)
    multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    raw = values if multiple else (values[0] if values else "")
    try:
        return field.clean(raw)
    except ValidationError:
        return tuple(value.strip() for value in values)


def display(field, values: list[str]) -> str:
    """Return values of a field as a person reads them: labels of choices, names of records."""
    if isinstance(field.widget, forms.CheckboxInput):
        return "yes" if values else "no"
    values = [value for value in values if value.strip()]
    if not values:
        return EMPTY
    if isinstance(field, forms.ModelChoiceField):
        try:
            found = field.queryset.filter(pk__in=values)
            return ", ".join(str(record) for record in found) or ", ".join(values)
        except (ValueError, ValidationError):
            return ", ".join(values)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}
        return ", ".join(labels.get(value, value) for value in values)
    return ", ".join(values)


def record_before(conflict):
    """Return the record as the refused user saw it: theirs with their changes undone."""
    record = type(conflict.instance)._default_manager.get(pk=conflict.instance.pk)
    for change in conflict.changes:
        try:
            model_field = record._meta.get_field(change.field)
            setattr(record, model_field.attname, model_field.to_python(change.before))
        except (FieldDoesNotExist, ValidationError, AttributeError):
            continue
    return record


def resolve(form, conflict, form_showing) -> list[ConflictRow]:
    """Put their values into the refused ``form``'s data and return the fields to choose.

    ``form_showing(record)`` returns an unbound form of the same kind showing ``record``.
    A field only they changed takes their value; one only this user changed keeps theirs;
    one both changed differently shows their value, with this user's kept beside it.
    """
    data = form.data.copy()
    theirs_form = form_showing(conflict.instance)
    before_form = form_showing(record_before(conflict))
    rows = []
    for change in conflict.changes:
        try:
            name = conflict.instance._meta.get_field(change.field).name
        except FieldDoesNotExist:
            continue
        if name not in form.fields or name not in theirs_form.fields:
            continue
        field = form.fields[name]
        theirs = shown_values(theirs_form[name])
        mine = posted_values(form, name)
        if cleaned(field, mine) == cleaned(field, theirs):
            continue
        data.setlist(name, theirs)
        if cleaned(field, mine) == cleaned(field, shown_values(before_form[name])):
            continue  # only they changed it: their value stands
        rows.append(
            ConflictRow(
                name=name,
                label=str(field.label or name),
                theirs=display(field, theirs),
                mine=display(field, mine),
                mine_values=mine,
            )
        )
    data.setlist(CONFLICT_FIELDS, [row.name for row in rows])
    for row in rows:
        data.setlist(row.mine_field, row.mine_values)
        data.pop(row.choice_field, None)
    form.data = data
    mark_fields(form, rows)
    return rows


def pending(form, record, form_showing) -> list[ConflictRow]:
    """Return the conflict rows a posted form still carries (to show them again)."""
    names = form.data.getlist(CONFLICT_FIELDS)
    if not names:
        return []
    theirs_form = form_showing(record)
    rows = []
    for name in names:
        if name not in form.fields or name not in theirs_form.fields:
            continue
        field = form.fields[name]
        mine = form.data.getlist(mine_name(name))
        rows.append(
            ConflictRow(
                name=name,
                label=str(field.label or name),
                theirs=display(field, shown_values(theirs_form[name])),
                mine=display(field, mine),
                mine_values=mine,
                choice=form.data.get(choice_name(name), ""),
            )
        )
    mark_fields(form, rows)
    return rows


def mark_fields(form, rows: list[ConflictRow]) -> None:
    """Say beside each field in conflict what this user had written."""
    for row in rows:
        field = form.fields[row.name]
        field.help_text = (
            f"Someone else saved the value shown here. Yours was: {row.mine}. "
            "Choose above which to keep."
        )


# The conflicts a user was shown, by record, kept in their session until they save.
SESSION_KEY = "record_conflicts"


def session_key(record) -> str:
    return f"{record._meta.label}:{record.pk}"


def remember(session, record, version: str, rows: list[ConflictRow]) -> None:
    """Keep which fields must be chosen before ``record`` is saved at ``version``."""
    pending_by_record = dict(session.get(SESSION_KEY, {}))
    if rows:
        pending_by_record[session_key(record)] = {
            "version": version,
            "fields": [row.name for row in rows],
        }
    else:
        pending_by_record.pop(session_key(record), None)
    session[SESSION_KEY] = pending_by_record


def required_choices(session, record, version: str) -> list[str]:
    """Return the fields to choose before saving ``record`` at ``version`` (none if moved on)."""
    entry = session.get(SESSION_KEY, {}).get(session_key(record))
    if entry is None or entry["version"] != version:
        return []
    return list(entry["fields"])


def forget(session, record) -> None:
    """Drop what was remembered for ``record`` (it was saved)."""
    if session_key(record) in session.get(SESSION_KEY, {}):
        remember(session, record, "", [])
