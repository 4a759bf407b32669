"""The follow-up section of a programme's report (``core.views.panels``, place "report")."""

from django.template.loader import render_to_string

from core.views.records import may
from followup.services import programme_work
from programmes.rules import managed_programme_ids

# Sections the report lists itself (its upcoming activities, over a longer window, and
# those needing an update, both in its CSV too): shown there once, not again here.
LISTED_BY_THE_REPORT = ("upcoming", "needs_update")


def report_panel(request, record) -> str:
    """Return the programme's follow-up items the reader may see, as a report section."""
    if record._meta.label_lower != "programmes.programme":
        return ""
    user = request.user
    work = programme_work(record, user)
    work.sections = [s for s in work.sections if s.key not in LISTED_BY_THE_REPORT]
    return render_to_string(
        "followup/report_section.html",
        {"work": work, "sections": rows_of(user, work)},
        request=request,
    )


def rows_of(user, work) -> list:
    """Return ``work``'s sections as (section, [(item, may the user act on it)])."""
    return [
        (section, [(item, may_act(user, item)) for item in section.items])
        for section in work.sections
    ]


def may_act(user, item) -> bool:
    """Return True if ``user`` may take the action that resolves ``item``."""
    if not item.action_writes:
        return True
    if not user.is_authenticated:
        return False
    if item.kind == "partner_request":  # finding partners: the programme's officers
        return item.programme is not None and item.programme.pk in managed_programme_ids(user)
    return may(user, "change", item.record)
