"""Who may add, change and delete contacts (django-rules; ``rulesets`` autodiscovered).

Admins and users granted the model permission do everything; a programme officer adds
people and roles within their reach (``contacts.querysets.reach_of``) and changes or
deletes those they may see.
"""

import rules

from contacts.querysets import reach_of
from programmes.rules import granted, is_programme_officer


def person_in_reach(user, person) -> bool:
    """Return True if ``person`` (saved or not) is in ``user``'s reach."""
    reach = reach_of(user)
    if not reach:
        return False
    if (
        person.organisation_network_id in reach.networks
        or person.organisation_city_id in reach.cities
    ):
        return True
    if person.pk is None:
        return False
    from contacts.models import Person

    return Person.objects.filter(pk=person.pk).visible_to(user).exists()


def role_in_reach(user, role) -> bool:
    """Return True if ``role`` (saved or not) is for a record in ``user``'s reach."""
    reach = reach_of(user)
    stream_programme = role.stream.programme_id if role.stream_id else None
    pairing_programme = role.pairing.programme_id if role.pairing_id else None
    return bool(reach) and (
        role.network_id in reach.networks
        or role.programme_id in reach.programmes
        or stream_programme in reach.programmes
        or pairing_programme in reach.programmes
        or role.city_id in reach.cities
    )


@rules.predicate
def manages_person(user, person):
    return person is not None and person_in_reach(user, person)


@rules.predicate
def manages_role(user, role):
    return role is not None and role_in_reach(user, role)


for model, scope in (("person", manages_person), ("contactrole", manages_role)):
    for action, rule in (("add", is_programme_officer), ("change", scope), ("delete", scope)):
        permission = f"contacts.{action}_{model}"
        rules.add_perm(permission, rules.is_superuser | rule | granted(permission))
