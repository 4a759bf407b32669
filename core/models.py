"""Abstract models and field helpers shared by every app."""

from typing import ClassVar

from django.db import models
from django.db.models import Q

from core.constraints import check_exactly_one, exactly_one_of


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last modified.

    ``modified`` is indexed: partners pull what changed with ``?modified_since=``.
    """

    created = models.DateTimeField(
        auto_now_add=True,
        editable=False,
    )
    modified = models.DateTimeField(
        auto_now=True,
        editable=False,
        db_index=True,
    )

    class Meta:
        abstract = True


class CityOrNetworkMemberQuerySet(models.QuerySet):
    """Reads over records whose member is a city or a network."""

    def with_member(self):
        """Return the records with their city or network read in the same query."""
        return self.select_related("city", self.model.network_field)


class CityOrNetworkMember(models.Model):
    """A member of a record that is either a city or a network (an organisation), not both.

    A network's members (``Membership``) and a thematic stream's leads and members
    (``StreamMember``) are such records. A model does not subclass this directly but the
    base ``city_or_network_member()`` returns, which declares its foreign keys under the
    model's own names and the rules on them.
    """

    #: The name of the foreign key to the member network (the city's is ``city``).
    network_field: ClassVar[str] = "network"

    class Meta:
        abstract = True

    @property
    def member(self):
        """Return the city or the network that is the member."""
        return self.city if self.city_id is not None else getattr(self, self.network_field)

    @property
    def member_name(self) -> str:
        """Return the member as its page names it: the city with its country, or the
        organisation's full name."""
        return str(self.city) if self.city_id is not None else self.member.name

    def clean(self):
        super().clean()
        check_exactly_one(
            self,
            "city",
            self.network_field,
            message="Choose either a city or an organisation, not both and not neither.",
        )


def city_or_network_member(
    *,
    parent: str,
    parent_model: str,
    parent_related_name: str,
    city_related_name: str,
    network_field: str = "network",
    network_related_name: str,
    network_verbose_name: str,
    either_message: str,
    taken: str,
) -> type[CityOrNetworkMember]:
    """Return the abstract base of a model whose records are a city or a network, members
    of a ``parent`` record (a foreign key to ``parent_model``).

    The base declares the three foreign keys (the parent first, where forms show it), the
    rule that exactly one of city and network is set (``either_message``) and that each
    is a member of a parent at most once ("This city {taken}."), as the constraints
    ``<model>_city_or_network``, ``<model>_unique_city`` and ``<model>_unique_network``.
    A model that declares its own ``Meta`` inherits the base's (``class Meta(Base.Meta)``)
    and adds to its ``constraints``.
    """

    class Meta:
        abstract = True
        constraints = [
            exactly_one_of(
                "city",
                network_field,
                name="%(class)s_city_or_network",
                message=either_message,
            ),
            models.UniqueConstraint(
                fields=[parent, "city"],
                condition=Q(city__isnull=False),
                name="%(class)s_unique_city",
                violation_error_message=f"This city {taken}.",
            ),
            models.UniqueConstraint(
                fields=[parent, network_field],
                condition=Q(**{f"{network_field}__isnull": False}),
                name="%(class)s_unique_network",
                violation_error_message=f"This organisation {taken}.",
            ),
        ]

    fields = {
        parent: models.ForeignKey(
            parent_model,
            on_delete=models.CASCADE,
            related_name=parent_related_name,
        ),
        "city": models.ForeignKey(
            "cities.City",
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name=city_related_name,
        ),
        network_field: models.ForeignKey(
            "programmes.Network",
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name=network_related_name,
            verbose_name=network_verbose_name,
        ),
    }
    name = f"CityOrNetworkMemberOf{parent.title()}"
    attributes = {"__module__": __name__, "Meta": Meta, "network_field": network_field}
    return type(name, (CityOrNetworkMember,), attributes | fields)
