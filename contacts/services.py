"""Writes over several records: erasing a person on request."""

from dataclasses import dataclass

from django.db import transaction

from contacts.models import PERSONAL_FIELDS, ContactRole, Person
from core.history import event_models_of

# What an erased person's personal values read in their history.
ERASED = "erased"


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: the roles deleted and the history rows redacted."""

    roles: int
    events: int
    log_entries: int


@transaction.atomic
def person_erase(*, person: Person) -> Erasure:
    """Delete ``person`` and their roles, and blank their personal fields in history.

    The history keeps that a person was created, changed and deleted, when, by whom and
    through which channel, which of their fields changed, and their roles' changes; it
    loses their name, job title, e-mail, phone and languages. The admin's log names
    records by their text: the person's entries are renamed "erased person".
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    person = Person.objects.select_for_update().get(pk=person.pk)
    pk = person.pk
    roles = ContactRole.objects.filter(person=person).count()
    person.delete()  # the delete event is written here: redacted below with the others
    events = 0
    for event_model in event_models_of(Person):
        events += _redact(event_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id"))
    log_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(pk)
    ).update(object_repr="erased person", change_message="")
    return Erasure(roles=roles, events=events, log_entries=log_entries)


def _redact(events) -> int:
    """Replace the personal values of ``events`` (oldest first) with "erased" markers.

    A value becomes "erased", the next different one "erased (2)" and so on, and an empty
    one stays empty: an update still shows which fields changed, and no value is left.
    """
    count = 0
    previous: dict[str, str] = {}
    versions: dict[str, int] = dict.fromkeys(PERSONAL_FIELDS, 0)
    for event in events:
        redacted = {}
        for name in PERSONAL_FIELDS:
            value = getattr(event, name) or ""
            if value and value != previous.get(name):
                versions[name] += 1
            previous[name] = value
            number = versions[name]
            redacted[name] = "" if not value else ERASED if number == 1 else f"{ERASED} ({number})"
        type(event).objects.filter(pk=event.pk).update(**redacted)
        count += 1
    return count
