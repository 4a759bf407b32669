"""Form widgets the pages share."""

from functools import lru_cache

from django import forms
from django.forms import SelectMultiple
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelectMultiple(SelectMultiple):
    """A multiple select whose options are written in one pass.

    Django renders every <option> through a template of its own: at the few hundred
    countries and programmes of a filter panel that was most of a list page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        try:
            options = rendered_options(tuple((str(key), str(label)) for key, label in self.choices))
        except (TypeError, ValueError):  # grouped choices: written each time
            options = None
        if options is None:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (key, mark_safe(" selected") if str(key) in chosen else "", label)
                    for key, label in self.choices
                ),
            )
        else:
            html = options.html(chosen)
        return format_html("<select multiple{}>{}</select>", flatatt(attrs), html)


class RenderedOptions:
    """A list's ``<option>`` elements, escaped and joined once."""

    def __init__(self, choices: tuple[tuple[str, str], ...]):
        template = '<option value="{}"{}>{}</option>'
        self.plain = [format_html(template, key, "", label) for key, label in choices]
        self.chosen = {
            key: (position, format_html(template, key, mark_safe(" selected"), label))
            for position, (key, label) in enumerate(choices)
        }
        self.joined = mark_safe("".join(self.plain))  # noqa: S308 (each part escaped)

    def html(self, chosen: set[str]) -> str:
        """Return the options with those whose value is in ``chosen`` selected."""
        marked = [self.chosen[key] for key in chosen if key in self.chosen]
        if not marked:
            return self.joined
        options = list(self.plain)
        for position, option in marked:
            options[position] = option
        return mark_safe("".join(options))  # noqa: S308 (each part escaped)


@lru_cache(maxsize=64)
def rendered_options(choices: tuple[tuple[str, str], ...]) -> RenderedOptions:
    """Return ``choices`` written as options, once per process for each distinct list.

    Keyed by the choices themselves (values and labels), so a changed list is another
    key and nothing written here can go stale; a filter panel's 250 countries and few
    hundred programmes were a tenth of a list page, written option by option.
    """
    return RenderedOptions(choices)


KEPT_RENDERS = 512  # distinct (filter, chosen values) renders a process keeps
_kept_renders: dict = {}


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes written through Django's templates once per distinct choice and state.

    Named as Django's: a field's ``widget_type`` (``field-checkboxselectmultiple``, which
    the style sheets address) is the class's name.

    A filter panel's fixed choices (status, kind) were written box by box through the
    form renderer's templates on every list page; the HTML depends only on the name, the
    chosen values, the attributes and the choices, so it is kept per process under those.
    """

    def render(self, name, value, attrs=None, renderer=None):
        try:
            key = (
                name,
                tuple(str(item) for item in self.format_value(value)),
                tuple(sorted({**self.attrs, **(attrs or {})}.items())),
                tuple((str(choice), str(label)) for choice, label in self.choices),
                type(renderer),
            )
            hash(key)
        except (TypeError, ValueError):  # grouped choices, unhashable attributes
            return super().render(name, value, attrs, renderer)
        html = _kept_renders.get(key)
        if html is None:
            if len(_kept_renders) >= KEPT_RENDERS:  # chosen values come from the URL
                _kept_renders.clear()
            html = _kept_renders[key] = super().render(name, value, attrs, renderer)
        return html
