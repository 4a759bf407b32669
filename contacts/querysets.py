"""Who may read contacts: personal data, shown to the officers of the networks involved.

A person is visible to admins, to users an admin granted ``contacts.view_person``, and to
a signed-in programme officer (``NetworkStaff`` with role officer) whose reach includes
them: the person works for the officer's network or for a city in it, or holds a role
(``ContactRole``) for a record the officer's network is involved in. Nobody else, and
never an anonymous reader: pages, the API, history and the change feed all ask
``visible_to(user)``.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from programmes.choices import StaffRole
from programmes.querysets import VisibilityQuerySet
from programmes.rules import managed_programme_ids, may_view_every

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Reach:
    """What an officer's networks are involved in: the records whose contacts they see."""

    networks: frozenset
    programmes: frozenset
    cities: frozenset

    def role_q(self, prefix: str = "") -> Q:
        """Return the condition of the contact roles for records in this reach."""
        return (
            Q(**{f"{prefix}network_id__in": self.networks})
            | Q(**{f"{prefix}programme_id__in": self.programmes})
            | Q(**{f"{prefix}stream__programme_id__in": self.programmes})
            | Q(**{f"{prefix}pairing__programme_id__in": self.programmes})
            | Q(**{f"{prefix}city_id__in": self.cities})
        )

    def person_q(self) -> Q:
        """Return the condition of the people whose organisation is in this reach."""
        return Q(organisation_network_id__in=self.networks) | Q(
            organisation_city_id__in=self.cities
        )

    def __bool__(self):
        return bool(self.networks or self.programmes)


def reach_of(user) -> Reach:
    """Return the reach of ``user``'s officer roles (cached on the user; empty for others).

    The cities are those that are members of the officer's networks or take part in a
    pairing of a programme the officer manages.
    """
    if not user.is_authenticated:
        return Reach(frozenset(), frozenset(), frozenset())
    cached = getattr(user, "_contact_reach", None)
    if cached is None:
        from programmes.models import Membership, NetworkStaff, PairingParticipant

        networks = frozenset(
            NetworkStaff.objects.filter(user=user, role=StaffRole.OFFICER).values_list(
                "network_id", flat=True
            )
        )
        programmes = frozenset(managed_programme_ids(user))
        members = Membership.objects.filter(network_id__in=networks, city__isnull=False)
        participants = PairingParticipant.objects.filter(pairing__programme_id__in=programmes)
        cities = frozenset(members.values_list("city_id", flat=True)) | frozenset(
            participants.values_list("city_id", flat=True)
        )
        cached = Reach(networks, programmes, cities)
        user._contact_reach = cached
    return cached


def may_see_contacts(user) -> bool:
    """Return True if ``user`` may see some contacts (admins, granted users, officers)."""
    return may_view_every(user, "contacts.view_person") or bool(reach_of(user))


class PersonQuerySet(VisibilityQuerySet):
    def visible_q(self, user) -> Q | None:
        if may_view_every(user, "contacts.view_person"):
            return None
        reach = reach_of(user)
        if not reach:
            return NOTHING
        from contacts.models import ContactRole

        roles = ContactRole.objects.order_by().filter(reach.role_q(), person_id=OuterRef("pk"))
        return reach.person_q() | Exists(roles)

    def visible_to(self, user):
        condition = self.visible_q(user or AnonymousUser())
        return self if condition is None else self.filter(condition)

    def search(self, text: str):
        """Return the people whose name, title or e-mail contains ``text``."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__unaccent__icontains=text)
            | Q(title__unaccent__icontains=text)
            | Q(email__icontains=text)
        )


class ContactRoleQuerySet(VisibilityQuerySet):
    """A role is visible with its person and its record, and only within the reader's
    reach: an officer who sees a person does not see their roles elsewhere."""

    belongs_to = ("person", "programme", "stream", "pairing")

    def visible_q(self, user) -> Q | None:
        owners = super().visible_q(user)
        if may_view_every(user, "contacts.view_contactrole"):
            return owners
        reach = reach_of(user)
        own = reach.role_q() if reach else NOTHING
        return own if owners is None else own & owners

    def current(self, today):
        """Return the roles held on ``today`` (no dates means held)."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        )
