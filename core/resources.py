"""Pieces every import/export resource shares (django-import-export): the base resource.

Files name related records by natural keys, never by database ids: a city by its slug or
"name|country", a network, programme or stream by its slug, several of them separated by
";". Export writes exactly the columns import reads, so an exported file imported again
changes nothing. Every value a file gets wrong becomes an error on its row, in words, and
a row that cannot be read at all (a control character, too many cells) is an error on
that row alone. An empty cell leaves an existing record's value as it is; "(clear)"
empties it.
"""

import difflib

from django.core.exceptions import ValidationError
from django.db import connection
from import_export import fields, resources, widgets

from core.spreadsheets import unreadable_character

LIST_SEPARATOR = ";"
# A cell that empties the stored value; an empty cell leaves it as it is (docs/import.md).
CLEAR_MARKER = "(clear)"


class ClearedCell(str):
    """An empty cell the file asked for with "(clear)", told apart from one left empty."""


CLEARED = ClearedCell("")


def define_trigger_settings() -> None:
    """Define ``pgtrigger.ignore`` (as "ignore nothing") for the current transaction.

    The history triggers read it on every row; left unset, each read fails into an
    exception block, and in a long transaction those get slower with every row written.
    Call it inside ``transaction.atomic()`` before a bulk write, with a pghistory context.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


def split_list(value) -> list[str]:
    """Return the non-empty items of a ";"-separated cell."""
    if value is None:
        return []
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ChoiceWidget(widgets.CharWidget):
    """A choice written as its value ("twinning") or its label ("Twinning / sister cities")."""

    def __init__(self, choices, *, blank_as=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.blank_as = blank_as

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            if self.blank_as is not None:
                return self.blank_as
            raise ValueError(f"Give one of: {', '.join(self.choices.values)}.")
        text = str(value).strip()
        for choice_value, label in self.choices.choices:
            if text.casefold() in (choice_value.casefold(), str(label).casefold()):
                return choice_value
        raise ValueError(f"“{text}” is not one of: {', '.join(self.choices.values)}.")


class StrictBooleanWidget(widgets.BooleanWidget):
    """A yes/no cell: 1/0, true/false, yes/no; blank takes the field's default."""

    TRUE = {"1", "true", "yes", "y"}
    FALSE = {"0", "false", "no", "n"}

    def __init__(self, *, default: bool, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return self.default
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"Write 1 or 0 (yes or no), not “{value}”.")


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error with suggestions."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        slug = str(value).strip()
        found = self.model.objects.filter(slug=slug).first()
        if found is None:
            raise ValueError(unknown_slug_message(self.model, slug))
        return found


class SlugListWidget(widgets.ManyToManyWidget):
    """Several related records by slug, separated by ";"."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = split_list(value)
        found = {obj.slug: obj for obj in self.model.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise ValueError("; ".join(unknown_slug_message(self.model, s) for s in missing))
        return [found[slug] for slug in slugs]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(sorted(o.slug for o in value.all()))


def unknown_slug_message(model, slug: str) -> str:
    """Return "unknown network “citynett” — did you mean “citynet”?"."""
    name = model._meta.verbose_name
    close = difflib.get_close_matches(
        slug, list(model.objects.values_list("slug", flat=True)), n=3, cutoff=0.7
    )
    hint = f" — did you mean {', '.join(f'“{c}”' for c in close)}?" if close else ""
    return f"unknown {name} “{slug}”{hint}"


class RegistryResource(resources.ModelResource):
    """A resource that reports every row as new, updated, unchanged or an error in words."""

    # Fields whose values are checked before the row's record is looked up, so that an
    # unknown city or slug is reported as a message on its column, not as a crash.
    checked_first: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Widgets that need the resource (one city matcher for a whole import) get it.
        for field in self.fields.values():
            if hasattr(field.widget, "resource"):
                field.widget.resource = self

    def after_export(self, queryset, dataset, **kwargs):
        # A spreadsheet's sheet is named after what it lists ("cities"), not "Tablib Dataset".
        dataset.title = str(self._meta.model._meta.verbose_name_plural)
        super().after_export(queryset, dataset, **kwargs)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        # A file is imported whole or not at all: one row that fails refuses it (admin too).
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Rows the file format could not read whole (core.spreadsheets).
        self._row_problems = getattr(dataset, "row_problems", {})

    def before_import_row(self, row, **kwargs):
        problem = getattr(self, "_row_problems", {}).get(kwargs.get("row_number"))
        if problem:
            raise ValidationError(problem)
        errors = {}
        for column, value in row.items():
            if not isinstance(value, str):
                continue
            if value.strip().casefold() == CLEAR_MARKER:
                row[column] = CLEARED
            elif found := unreadable_character(value):
                errors[column] = ValidationError(
                    f"This cell holds {found}, which the registry cannot store: remove it "
                    "from the file."
                )
        if errors:
            raise ValidationError(errors)
        for name in self.checked_first:
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                field.clean(row)
            except ValueError as error:
                errors[name] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if new:
            return
        # An empty cell leaves a stored record's value as it is (a column the file leaves
        # out altogether does the same); "(clear)" was turned into "" to empty it.
        identity = set(self._meta.import_id_fields)
        for column, value in list(row.items()):
            if column not in identity and is_blank(value) and not isinstance(value, ClearedCell):
                del row[column]

    def import_instance(self, instance, row, **kwargs):
        # Report a bad cell under its column name, in the widget's own words.
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except (ValueError, ArithmeticError, TypeError) as error:
                message = unreadable_message(field.widget, row.get(field.column_name)) or str(error)
                errors[field.column_name] = ValidationError(message, code="invalid")
        if errors:
            raise ValidationError(errors)


READABLE_AS = (
    (widgets.DateWidget, "a date written YYYY-MM-DD"),
    (widgets.IntegerWidget, "a whole number"),
    (widgets.DecimalWidget, "a number (with a point for decimals)"),
    (widgets.FloatWidget, "a number (with a point for decimals)"),
)


def unreadable_message(widget, value) -> str | None:
    """Return "“abc” is not a whole number." for the widgets of numbers and dates."""
    for widget_class, description in READABLE_AS:
        if isinstance(widget, widget_class):
            return f"“{value}” is not {description}."
    return None


def column(name: str, widget=None) -> fields.Field:
    """Return the column ``name`` for the model attribute of the same name."""
    return fields.Field(attribute=name, column_name=name, widget=widget or widgets.CharWidget())


def text_field(name: str) -> fields.Field:
    """Return a plain text column that reads a blank cell as an empty string."""
    return column(name, widgets.CharWidget())


def choice_field(name: str, choices, default) -> fields.Field:
    """Return a column of choices; a blank cell takes ``default``."""
    return column(name, ChoiceWidget(choices, blank_as=default))


def date_field(name: str) -> fields.Field:
    return column(name, widgets.DateWidget())


def flag_field(name: str, default: bool = True) -> fields.Field:
    return column(name, StrictBooleanWidget(default=default))
