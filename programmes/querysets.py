"""Reusable reads over programmes and pairings, and who may read them."""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q

from cities.querysets import contains_folded, local_name_of
from core.compiled import CompiledOnce
from core.models import CityOrNetworkMemberQuerySet
from programmes.rules import managed_programme_ids, may_view_every


class VisibilityQuerySet(models.QuerySet):
    """Records not every reader may see: the one definition of who reads what.

    A record is visible to a reader when its own state lets them see it
    (``own_visible_q``) and every record it belongs to (the foreign keys in
    ``belongs_to``) is visible to them: an activity of an unpublished programme is hidden
    although its own flag says published. ``published()`` is what anonymous readers see;
    ``visible_to(user)`` adds, for a programme officer, the unpublished records of the
    programmes their network runs or partners in, and for admins and users granted the
    model's ``view`` permission, its unpublished records (of owners they may see).

    Every surface (pages, API, exports, search, history, partner suggestions) asks
    ``visible_to(user)``; ``core.visibility`` knows only that protocol.
    """

    belongs_to: tuple[str, ...] = ()

    def own_visible_q(self, managed: set[int]) -> Q | None:
        """Return what the record's own state shows a reader managing ``managed``
        programmes; None if it has no state of its own (a part of another record)."""
        return None

    def visible_q(self, user) -> Q | None:
        """Return the condition of the records ``user`` may see; None when they see all."""
        opts = self.model._meta
        conditions = []
        if not may_view_every(user, f"{opts.app_label}.view_{opts.model_name}"):
            own = self.own_visible_q(managed_programme_ids(user))
            if own is not None:
                conditions.append(own)
        for name in self.belongs_to:
            field = opts.get_field(name)
            owners = field.related_model._default_manager.all()
            owners_visible = owners.visible_q(user)
            if owners_visible is not None:
                # "Its owner is not hidden": one look-up by primary key per record, so a
                # page reads only its own records' owners (NOT IN the hidden ones read
                # every pairing first: 0.1 s at 200,000). An empty foreign key passes.
                hidden = owners.order_by().filter(pk=OuterRef(field.attname))
                conditions.append(~Exists(hidden.exclude(owners_visible)))
        return Q(*conditions) if conditions else None

    def visible_to(self, user):
        """Return the records ``user`` may see."""
        condition = self.visible_q(user or AnonymousUser())
        # Compiled once for all the statements (and, for a shared list, the requests) that
        # carry it: its nested EXISTS cost about 2 ms to compile, every statement.
        return self if condition is None else self.filter(CompiledOnce(condition))

    def published(self):
        """Return the records anonymous readers see."""
        return self.visible_to(AnonymousUser())


class ProgrammeScopedQuerySet(VisibilityQuerySet):
    """Records with their own ``is_published`` flag inside a programme (pairings,
    activities): an officer of the programme also sees the unpublished ones."""

    def own_visible_q(self, managed):
        published = Q(is_published=True)
        return published | Q(programme_id__in=managed) if managed else published


class ProgrammeQuerySet(VisibilityQuerySet):
    def own_visible_q(self, managed):
        published = Q(is_published=True)
        return published | Q(pk__in=managed) if managed else published


class ThematicStreamQuerySet(VisibilityQuerySet):
    belongs_to = ("programme",)


class PartQuerySet(VisibilityQuerySet):
    """The parts of another record (a pairing's participants, a stream's members): visible
    with the record they belong to. Subclasses name it in ``belongs_to``."""


class ProgrammeNetworkQuerySet(PartQuerySet):
    belongs_to = ("programme",)


class StreamPartQuerySet(PartQuerySet):
    belongs_to = ("stream",)


class StreamMemberQuerySet(CityOrNetworkMemberQuerySet, StreamPartQuerySet):
    """A stream's leads and members: visible with their stream."""


class PairingPartQuerySet(PartQuerySet):
    belongs_to = ("pairing",)


class PairingQuerySet(ProgrammeScopedQuerySet):
    belongs_to = ("programme", "stream")

    def for_city(self, city):
        """Return the pairings ``city`` takes part in."""
        return self.filter(participants__city=city)

    def search(self, text: str):
        """Return pairings whose title, a city, the programme or the stream matches ``text``.

        Case and accents aside; cities as ``CityQuerySet.meant_by`` finds them (misspellings
        too). One sub-select of ids, a UNION of index look-ups (a trigram index on the
        folded title, the participants' and the foreign keys' B-trees), rather than a join
        with an OR and DISTINCT, which made PostgreSQL read every pairing.
        """
        City = apps.get_model("cities", "City")
        PairingParticipant = apps.get_model("programmes", "PairingParticipant")
        Programme = apps.get_model("programmes", "Programme")
        ThematicStream = apps.get_model("programmes", "ThematicStream")
        text = (text or "").strip()
        if not text:
            return self
        pairings = self.model.objects.order_by()
        by_title = pairings.filter(contains_folded(text, "title")).values("pk")
        by_city = (
            PairingParticipant.objects.order_by()
            .filter(city__in=City.objects.meant_by(text).values("pk"))
            .values("pairing_id")
        )
        by_programme = pairings.filter(
            programme__in=Programme.objects.filter(contains_folded(text, "name")).values("pk")
        ).values("pk")
        by_stream = pairings.filter(
            stream__in=ThematicStream.objects.filter(contains_folded(text, "name")).values("pk")
        ).values("pk")
        return self.filter(pk__in=by_title.union(by_city, by_programme, by_stream))

    def with_participants(self, *, local_names: bool = False):
        """Prefetch what a list of pairings shows: programme, stream, cities and roles;
        with ``local_names``, each participant's ``city_local_name`` and
        ``city_local_language`` too (in the same query)."""
        PairingParticipant = apps.get_model("programmes", "PairingParticipant")
        participants = PairingParticipant.objects.select_related("city").order_by(
            "role", "city__name"
        )
        if local_names:
            participants = participants.annotate(**local_name_of("city_id", prefix="city_"))
        return self.select_related("programme", "stream").prefetch_related(
            models.Prefetch("participants", queryset=participants)
        )
