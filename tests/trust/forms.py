"""Helpers to post a page's form back as a browser would."""

import re

from django.forms import CheckboxInput


def version_in(html: str) -> str:
    """Return the value of the form's hidden ``version`` input."""
    match = re.search(r'<input type="hidden" name="version" value="(?P<value>[^"]*)"', html)
    assert match, "the form has no version field"
    return match["value"]


def form_data(form, **changes) -> dict:
    """Return the POST data a browser sends for ``form`` as shown, with ``changes``."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            data[bound.html_name] = ""
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [
                str(bound.field.prepare_value(v) if not hasattr(v, "pk") else v.pk) for v in value
            ]
        else:
            data[bound.html_name] = str(bound.field.prepare_value(value))
    data.update(changes)
    return data


def admin_form_data(response, **changes) -> dict:
    """Return an admin change form as shown (with its inlines), with ``changes``."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    data.update(changes)
    return data
