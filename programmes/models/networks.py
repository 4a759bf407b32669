"""Networks, their members and the people who work for them."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.dates import DatePrecision, date_in_range, format_date, validate_date_in_range
from core.models import CityOrNetworkMemberQuerySet, TimeStampedModel, city_or_network_member
from programmes.choices import MemberType, NetworkKind, StaffRole


@pghistory.track()
class Network(TimeStampedModel):
    """A body that runs, funds or brokers city cooperation, or belongs to a network.

    City networks (CityNet, UCLG ASPAC, ICLEI), the EU's IUC/IURC, development agencies
    (GIZ, JICA), UN bodies (UNESCAP), and the organisations that are members of a
    network (NGOs, universities, companies) are all networks here.
    """

    name = models.CharField(
        max_length=200,
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
    )
    acronym = models.CharField(
        max_length=40,
        blank=True,
    )
    kind = models.CharField(
        max_length=30,
        choices=NetworkKind.choices,
        default=NetworkKind.CITY_NETWORK,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The network this one belongs to, e.g. a national chapter's network.",
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="based_networks",
        help_text="Where the body is based.",
    )
    website = models.URLField(
        max_length=300,
        blank=True,
    )
    description = models.TextField(
        blank=True,
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="network",
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            # Memberships are listed in network name order: walking the networks in that
            # order, PostgreSQL stops after the first page instead of sorting every match.
            models.Index(fields=["name"], name="network_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="network_not_own_parent",
                violation_error_message="A network cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("programmes:network_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A network cannot be its own parent."})


MemberOfNetwork = city_or_network_member(
    parent="network",
    parent_model="programmes.Network",
    parent_related_name="memberships",
    city_related_name="memberships",
    network_field="member_network",
    network_related_name="network_memberships",
    network_verbose_name="member organisation",
    either_message="A member is either a city or an organisation, not both and not neither.",
    taken="is already a member of that network",
)


@pghistory.track()
class Membership(TimeStampedModel, MemberOfNetwork):
    """A city or an organisation belonging to a network, e.g. Makati as a full member of
    CityNet in its Southeast Asia group."""

    member_type = models.CharField(
        max_length=20,
        choices=MemberType.choices,
        default=MemberType.FULL,
    )
    regional_group = models.CharField(
        max_length=100,
        blank=True,
        help_text="The network's own regional grouping, e.g. Southeast Asia.",
    )
    joined_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    joined_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="membership",
    )

    objects = CityOrNetworkMemberQuerySet.as_manager()

    class Meta(MemberOfNetwork.Meta):
        ordering = ["network", "member_type", "regional_group", "id"]
        constraints = [
            *MemberOfNetwork.Meta.constraints,
            date_in_range("joined_on", "membership"),
            models.CheckConstraint(
                condition=~Q(member_network=F("network")),
                name="membership_not_self",
                violation_error_message="A network cannot be a member of itself.",
            ),
        ]

    def __str__(self):
        return f"{self.member} in {self.network}"

    @property
    def joined_display(self) -> str:
        return format_date(self.joined_on, self.joined_precision)

    def clean(self):
        super().clean()
        if self.member_network_id and self.member_network_id == self.network_id:
            raise ValidationError({"member_network": "A network cannot be a member of itself."})


@pghistory.track()
class NetworkStaff(models.Model):
    """A user who works for a network.

    A programme officer edits the pairings, activities and streams of the programmes
    their network runs or partners in; a partner reads the API (and whatever an admin
    grants with Django permissions).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_roles",
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="staff",
    )
    role = models.CharField(
        max_length=20,
        choices=StaffRole.choices,
        default=StaffRole.OFFICER,
    )

    class Meta:
        ordering = ["network", "user"]
        verbose_name = "network staff member"
        verbose_name_plural = "network staff"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                name="networkstaff_unique_user",
                violation_error_message="This user already works for that network.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.network})"
