"""``{% record_panels record place %}``: the sections other apps add (core.views.panels)."""

from django import template
from django.utils.safestring import mark_safe

from core.views.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, record, place="detail"):
    """Render the sections registered for ``place`` (their hooks escape what they show)."""
    request = context.get("request")
    if request is None or record is None:
        return ""
    return mark_safe(render_panels(request, record, place))  # noqa: S308
