"""The "Contacts" section on the pages of cities, networks, programmes, streams and
pairings (``core.views.panels``), for those who may see them only."""

from django.template.loader import render_to_string

from contacts.models import ContactRole

# Model label → ContactRole's foreign key to it.
TARGET_FIELDS = {
    "cities.city": "city",
    "programmes.network": "network",
    "programmes.programme": "programme",
    "programmes.thematicstream": "stream",
    "programmes.pairing": "pairing",
}


def contacts_panel(request, record) -> str:
    """Return the section listing the record's contacts the reader may see, or ""."""
    field = TARGET_FIELDS.get(record._meta.label_lower)
    user = request.user
    if field is None or not user.is_authenticated:
        return ""
    roles = list(
        ContactRole.objects.visible_to(user)
        .filter(**{field: record})
        .select_related("person")
        .order_by("role", "person__name")
    )
    can_add = user.has_perm("contacts.add_contactrole")
    if not roles and not can_add:
        return ""
    return render_to_string(
        "contacts/panel.html",
        {"roles": roles, "record": record, "field": field, "can_add": can_add},
        request=request,
    )
