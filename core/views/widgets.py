"""Form widgets the pages share."""

from functools import lru_cache

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
