"""Form widgets the pages share."""

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
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select multiple{}>{}</select>", flatatt(attrs), options)
