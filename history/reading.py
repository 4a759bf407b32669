"""Change history, the read side: a record's events and its parts', as readable entries.

The write side (channels, the middleware, ``command_context``) is ``core.history``; how a
stored value reads for people (labels, choice labels, related records' names) is
``core.display``.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import capfirst

from core.display import Change, ValueFormatter, field_of
from core.history import event_models_of

SYSTEM = "system"
# The parts of a record whose changes belong to its history (a pairing's participants…).
PARTS = {
    "programmes.pairing": ("programmes.PairingParticipant", "programmes.PairingStatusChange"),
    "programmes.programme": ("programmes.ProgrammeNetwork",),
    "programmes.thematicstream": ("programmes.StreamPriority", "programmes.StreamMember"),
    "activities.activity": ("activities.Activity_cities", "activities.Activity_organisers"),
    "cities.city": ("cities.CityAlternativeName",),
    "contacts.person": ("contacts.ContactRole",),
}
# A record's themes (its ``themes`` M2M) belong to its history too.
THEMED = [
    "sources.Source",
    "programmes.ThematicStream",
    "programmes.StreamPriority",
    "programmes.Pairing",
    "activities.Activity",
    "partners.PartnerRequest",
]
for _label in THEMED:
    PARTS[_label.lower()] = PARTS.get(_label.lower(), ()) + (f"{_label}_themes",)
# Parts not every reader of their record may see (a person's roles for other networks'
# records): their events show by the part's own rule (its queryset's ``visible_q``),
# applied to the row as each event stored it, so a role removed since still shows within
# the reader's reach.
PARTS_SEEN_ON_THEIR_OWN = ("contacts.ContactRole",)
# Columns that say nothing to a reader (bookkeeping, or the part's link to its record).
HIDDEN_FIELDS = {"id", "created", "modified", "search_vector"}
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}
PART_ACTIONS = {"insert": "added", "update": "changed", "delete": "removed"}


def tracked_models() -> list:
    """Return every model whose changes are recorded, the link tables of many-to-many
    fields included (an activity's cities, a pairing's themes): a partner syncing from
    the change feed or a webhook must learn of those changes too."""
    from django.apps import apps

    return [model for model in apps.get_models(include_auto_created=True) if event_models_of(model)]


def record_events(record, user=None):
    """Return the events of ``record`` and of its parts (``PARTS``), newest first.

    With ``user``, only the events of the parts they may see (``PARTS_SEEN_ON_THEIR_OWN``);
    the record itself is theirs to see already.
    """
    from django.apps import apps
    from pghistory.models import Events

    models = [type(record)._meta.concrete_model]
    models += [apps.get_model(label) for label in PARTS.get(record._meta.label_lower, ())]
    event_models = [event for model in models for event in event_models_of(model)]
    events = Events.objects.across(*event_models).references(record)
    if user is not None:
        events = events.filter(readable_parts_q(user, models))
    return events.order_by("-pgh_created_at", "-pgh_id")


def readable_parts_q(user, models) -> Q:
    """Return the condition of the events of ``models``' parts that ``user`` may see."""
    condition = Q()
    for model in models:
        if model._meta.label not in PARTS_SEEN_ON_THEIR_OWN:
            continue
        rule = model._default_manager.all().visible_q(user)
        if rule is None:
            continue
        for event_model in event_models_of(model):
            seen = event_model.objects.order_by().filter(rule).values("pgh_id")
            condition &= ~Q(pgh_model=event_model._meta.label) | Q(pgh_id__in=seen)
    return condition


@dataclass
class Entry:
    """One event of a record's history, as a reader sees it."""

    event: object
    model: object
    is_part: bool
    action: str
    subject: str
    user: object
    who: str
    channel: str
    changes: list[Change] = field(default_factory=list)

    @property
    def at(self):
        return self.event.pgh_created_at

    @property
    def context(self) -> dict:
        return self.event.pgh_context or {}


def _usernames(events) -> dict:
    from django.contrib.auth import get_user_model

    ids = {(event.pgh_context or {}).get("user") for event in events} - {None}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user for user in users}


def describe(events, user, *, record=None, owners=None) -> list[Entry]:
    """Return the events as readable entries (who, when, channel, what changed).

    ``record`` is the record whose history this is: events of its parts (a pairing's
    participants) name the part ("Participant added: Wichit"). Without one (the change
    feed), ``owners`` maps a part's model label to the model of the record it belongs to.
    """
    from django.apps import apps

    events = list(events)
    users = _usernames(events)
    models = {event.pgh_obj_model: apps.get_model(event.pgh_obj_model) for event in events}
    rows = []
    for event in events:
        model = models[event.pgh_obj_model]
        rows.append((model, event.pgh_data or {}))
        rows.append((model, {name: pair[0] for name, pair in (event.pgh_diff or {}).items()}))
    formatter = ValueFormatter(user, rows)
    record_model = type(record)._meta.concrete_model if record is not None else None
    owners = owners or {}
    entries = []
    for event in events:
        model = models[event.pgh_obj_model]
        owner = record_model if record is not None else owners.get(event.pgh_obj_model)
        is_part = owner is not None and model is not owner
        context = event.pgh_context or {}
        actor = users.get(context.get("user"))
        if actor is not None:
            who = actor.get_username()
        elif context.get("command"):
            who = f"{SYSTEM} (command {context['command']})"
        else:
            who = SYSTEM
        entry = Entry(
            event=event,
            model=model,
            is_part=is_part,
            action=(PART_ACTIONS if is_part else ACTIONS).get(event.pgh_label, event.pgh_label),
            subject=_subject(model, event, formatter, owner),
            user=actor,
            who=who,
            channel=context.get("channel") or "unknown",
        )
        # The feed keeps a part's link column among its changes: it names the record.
        entry.changes = _changes(model, event, formatter, record_model)
        if event.pgh_label == "update" and not entry.changes:
            continue  # only bookkeeping changed (``modified``)
        entries.append(entry)
    return entries


def _link_column(model, record_model) -> str | None:
    for model_field in model._meta.concrete_fields:
        if model_field.is_relation and model_field.related_model is record_model:
            return model_field.attname
    return None


def _subject(model, event, formatter, record_model) -> str:
    """Name what the event is about: the record itself, or the part ("Wichit (pilot)")."""
    name = capfirst(str(model._meta.verbose_name))
    if record_model is None or model is record_model:
        return name
    data = event.pgh_data or {}
    link = _link_column(model, record_model)
    named = [
        (column, field_of(model, column))
        for column in data
        if column not in HIDDEN_FIELDS and column != link and field_of(model, column)
    ]
    # The related records first ("Makati (PH)"), then the choices ("Partner city").
    shown = [formatter.display(model, c, data[c]) for c, f in named if f.is_relation]
    shown += [formatter.display(model, c, data[c]) for c, f in named if f.choices]
    if model._meta.auto_created:  # a many-to-many link, e.g. an activity's city
        target = next(
            (f for f in model._meta.concrete_fields if f.is_relation and f.attname != link), None
        )
        name = capfirst(str(target.verbose_name)) if target is not None else name
    return f"{name}: {', '.join(shown)}" if shown else name


def _changes(model, event, formatter, record_model) -> list[Change]:
    link = _link_column(model, record_model) if model is not record_model else None
    if event.pgh_label == "update":
        pairs = [(c, before, after) for c, (before, after) in (event.pgh_diff or {}).items()]
    elif event.pgh_label == "delete":
        pairs = [(c, value, None) for c, value in (event.pgh_data or {}).items()]
    else:
        pairs = [(c, None, value) for c, value in (event.pgh_data or {}).items()]
    changes = []
    for column, before, after in pairs:
        if column in HIDDEN_FIELDS or column == link or field_of(model, column) is None:
            continue
        if event.pgh_label != "update" and (before if after is None else after) in ("", None):
            continue
        changes.append(
            Change(
                field=column,
                label=formatter.label(model, column),
                before=before,
                after=after,
                before_display=formatter.display(model, column, before),
                after_display=formatter.display(model, column, after),
            )
        )
    return changes


# Fields a restore leaves alone: the primary key, and the timestamps (a restore is a new
# save, so ``modified`` moves on and every client's older version stays stale).
NOT_RESTORED = {"id", "created", "modified"}


def restore(event):
    """Put the record of ``event`` (a tracked model's event row) back to that version.

    The record's own fields only; saved with ``full_clean()`` so the model's rules hold.
    Call inside a transaction; return the record.
    """
    model = event.pgh_tracked_model
    record = model._default_manager.select_for_update().get(pk=event.pgh_obj_id)
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.generated or model_field.name in NOT_RESTORED:
            continue
        setattr(record, model_field.attname, getattr(event, model_field.attname))
    record.full_clean()
    record.save()
    return record
