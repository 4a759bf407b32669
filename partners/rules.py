"""Who may post, change and delete partner requests (django-rules; autodiscovered).

Admins and users granted the model permission do everything. A programme officer posts
requests, without a programme or in a programme their network runs or partners in, and
changes or deletes those of their programmes and those they posted. The pages, the admin
and the API ask ``user.has_perm("partners.<action>_partnerrequest", request)``.
"""

import rules

from programmes.rules import (
    granted,
    is_programme_officer,
    managed_programme_ids,
    manages_programme_of,
)


@rules.predicate
def posted_it(user, partner_request):
    """True if ``user`` posted the (saved) request."""
    return (
        partner_request is not None
        and partner_request.pk is not None
        and partner_request.created_by_id == user.pk
    )


@rules.predicate
def new_without_programme(user, partner_request):
    """True for a request being posted that names no programme (any officer may)."""
    return (
        partner_request is not None
        and partner_request.pk is None
        and partner_request.programme_id is None
    )


for action, scope in (
    ("add", is_programme_officer),
    ("change", manages_programme_of | posted_it | (new_without_programme & is_programme_officer)),
    ("delete", manages_programme_of | posted_it),
):
    permission = f"partners.{action}_partnerrequest"
    rules.add_perm(permission, rules.is_superuser | scope | granted(permission))


def postable_programme_ids(user, keep: int | None = None) -> set[int] | None:
    """Return the programmes ``user`` may post a request in (``None``: any they may see),
    the request's current one (``keep``) included: the rule the API applies too."""
    if granted("partners.add_partnerrequest")(user):
        return None
    return managed_programme_ids(user) | ({keep} if keep else set())
