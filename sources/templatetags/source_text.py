"""Template filters for sources' text: a search passage with its matches marked."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sources.choices import MATCH_START, MATCH_STOP
from sources.querysets import may_read_source

register = template.Library()


@register.filter
def marked_passage(passage: str) -> str:
    """Return a ts_headline passage as HTML: the document's text escaped, matches in <mark>.

    PostgreSQL marks matches with characters no extracted text holds, so the document's
    own "<" and "&" are escaped like any text and only the marks become HTML.
    """
    if not passage:
        return ""
    text = escape(" ".join(passage.split()))
    return mark_safe(text.replace(MATCH_START, "<mark>").replace(MATCH_STOP, "</mark>"))


@register.filter
def readable_by(citations, user) -> list:
    """Return the citations whose source ``user`` may read (a programme's unpublished
    document stays with its officers, and so do its quotes)."""
    return [citation for citation in citations if may_read_source(user, citation.source)]
