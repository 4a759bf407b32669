"""Sections other apps add to a record's pages (contacts on a city's page, follow-up on a
programme's report), so the page's own app imports nothing of theirs.

An upper app registers ``hook(request, record)`` for a place ("detail" for a record's
page, "report" for a programme's report, "my_work" for an officer's My work page, whose
record is the officer) in its ``AppConfig.ready()``; the hook returns
the section's HTML, or "" when it has nothing to show this reader. Templates ask with
``{% load panels %}{% record_panels record "detail" %}``.
"""

PANELS: dict[str, list] = {}


def register_record_panel(place: str, hook) -> None:
    """Add ``hook(request, record) -> str`` to the sections shown at ``place``."""
    hooks = PANELS.setdefault(place, [])
    if hook not in hooks:
        hooks.append(hook)


def render_panels(request, record, place: str) -> str:
    """Return the HTML of every section registered at ``place`` for ``record``."""
    return "".join(hook(request, record) for hook in PANELS.get(place, ()))
