"""Networks, their members and programmes, thematic streams, and the pairings of cities."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from cities.querysets import folded
from core.dates import (
    DatePrecision,
    date_in_range,
    format_date,
    format_period,
    validate_date_in_range,
)
from core.models import TimeStampedModel
from programmes.choices import (
    MemberType,
    NetworkKind,
    PairingKind,
    PairingStatus,
    ParticipantRole,
    PartnerKind,
    PartnerRequestStatus,
    ProgrammeRole,
    ProgrammeStatus,
    StaffRole,
    StreamMemberRole,
)
from programmes.querysets import (
    PairingPartQuerySet,
    PairingQuerySet,
    PartnerRequestQuerySet,
    ProgrammeNetworkQuerySet,
    ProgrammeQuerySet,
    StreamPartQuerySet,
    ThematicStreamQuerySet,
)


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    """Return the database rule that ``end`` is empty or not before ``start``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def exactly_one_of(first: str, second: str, name: str, message: str) -> models.CheckConstraint:
    """Return the database rule that exactly one of two foreign keys is set."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
        violation_error_message=message,
    )


def check_dates(instance, start: str, end: str) -> None:
    """Raise a ValidationError on ``end`` when it lies before ``start``."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: "The end date cannot be before the start date."})


def check_one_member(instance, city_field: str, network_field: str) -> None:
    """Raise a ValidationError unless exactly one of a city and a network is given."""
    has_city = getattr(instance, f"{city_field}_id") is not None
    has_network = getattr(instance, f"{network_field}_id") is not None
    if has_city == has_network:
        raise ValidationError(
            {city_field: "Choose either a city or an organisation, not both and not neither."}
        )


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


@pghistory.track()
class Membership(TimeStampedModel):
    """A city or an organisation belonging to a network, e.g. Makati as a full member of
    CityNet in its Southeast Asia group."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    member_network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name="member organisation",
    )
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

    class Meta:
        ordering = ["network", "member_type", "regional_group", "id"]
        constraints = [
            date_in_range("joined_on", "membership"),
            exactly_one_of(
                "city",
                "member_network",
                name="membership_city_or_network",
                message="A member is either a city or an organisation, not both and not neither.",
            ),
            models.UniqueConstraint(
                fields=["network", "city"],
                condition=Q(city__isnull=False),
                name="membership_unique_city",
                violation_error_message="This city is already a member of that network.",
            ),
            models.UniqueConstraint(
                fields=["network", "member_network"],
                condition=Q(member_network__isnull=False),
                name="membership_unique_network",
                violation_error_message="This organisation is already a member of that network.",
            ),
            models.CheckConstraint(
                condition=~Q(member_network=F("network")),
                name="membership_not_self",
                violation_error_message="A network cannot be a member of itself.",
            ),
        ]

    def __str__(self):
        return f"{self.member} in {self.network}"

    @property
    def member(self):
        return self.city or self.member_network

    @property
    def joined_display(self) -> str:
        return format_date(self.joined_on, self.joined_precision)

    def clean(self):
        check_one_member(self, "city", "member_network")
        if self.member_network_id and self.member_network_id == self.network_id:
            raise ValidationError({"member_network": "A network cannot be a member of itself."})


@pghistory.track()
class Programme(TimeStampedModel):
    """A programme of city cooperation run or funded by networks, e.g. Urban-Act's city
    pairing (UCLG ASPAC with GIZ) or the EU's IUC Asia."""

    name = models.CharField(
        max_length=250,
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
    )
    acronym = models.CharField(
        max_length=40,
        blank=True,
    )
    description = models.TextField(
        blank=True,
    )
    networks = models.ManyToManyField(
        Network,
        through="ProgrammeNetwork",
        related_name="programmes",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    status = models.CharField(
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.ACTIVE,
    )
    website = models.URLField(
        max_length=300,
        blank=True,
    )
    is_published = models.BooleanField(
        default=True,
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="programme",
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Lists of pairings are in programme name order: walking the programmes in that
            # order, PostgreSQL stops after the first page instead of sorting every match.
            models.Index(fields=["name"], name="programme_name_idx"),
        ]
        constraints = [
            date_in_range("start_date", "programme"),
            date_in_range("end_date", "programme"),
            end_not_before_start("start_date", "end_date", name="programme_end_after_start"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", kwargs={"slug": self.slug})

    @property
    def period_display(self) -> str:
        return format_period(self.start_date, self.end_date, self.date_precision)

    def clean(self):
        check_dates(self, "start_date", "end_date")


@pghistory.track()
class ProgrammeNetwork(models.Model):
    """The part a network plays in a programme: lead, co-organiser, funder, partner."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="programme_networks",
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="programme_roles",
    )
    role = models.CharField(
        max_length=20,
        choices=ProgrammeRole.choices,
        default=ProgrammeRole.LEAD,
    )

    objects = ProgrammeNetworkQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role", "network"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "network", "role"],
                name="programmenetwork_unique_role",
                violation_error_message="This network already has that role in the programme.",
            ),
        ]

    def __str__(self):
        return f"{self.network} ({self.get_role_display()}) in {self.programme}"


@pghistory.track()
class ThematicStream(TimeStampedModel):
    """A theme within a programme that pairs cities, e.g. Urban-Act's Nature-based
    Solutions for Urban Flood Management, or a CityNet cluster such as Disaster."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="streams",
    )
    name = models.CharField(
        max_length=200,
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
    )
    description = models.TextField(
        blank=True,
    )
    order = models.PositiveSmallIntegerField(
        default=0,
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="stream",
    )

    objects = ThematicStreamQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="stream_unique_name_per_programme",
                violation_error_message="This programme already has a stream with that name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:stream_detail", kwargs={"slug": self.slug})


@pghistory.track()
class StreamPriority(models.Model):
    """One of a stream's key priorities, in the order the source lists them."""

    stream = models.ForeignKey(
        ThematicStream,
        on_delete=models.CASCADE,
        related_name="priorities",
    )
    text = models.CharField(
        max_length=300,
    )
    order = models.PositiveSmallIntegerField(
        default=0,
    )

    objects = StreamPartQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "order"]
        verbose_name_plural = "stream priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "order"],
                name="streampriority_unique_order",
                violation_error_message="Another priority of this stream has that position.",
            ),
        ]

    def __str__(self):
        return self.text


@pghistory.track()
class StreamMember(models.Model):
    """A city or organisation that leads, co-leads or belongs to a stream or cluster."""

    stream = models.ForeignKey(
        ThematicStream,
        on_delete=models.CASCADE,
        related_name="members",
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stream_roles",
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stream_roles",
        verbose_name="organisation",
    )
    role = models.CharField(
        max_length=20,
        choices=StreamMemberRole.choices,
        default=StreamMemberRole.MEMBER,
    )

    objects = StreamPartQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "role", "id"]
        constraints = [
            exactly_one_of(
                "city",
                "network",
                name="streammember_city_or_network",
                message="A stream member is either a city or an organisation.",
            ),
            models.UniqueConstraint(
                fields=["stream", "city"],
                condition=Q(city__isnull=False),
                name="streammember_unique_city",
                violation_error_message="This city already has a role in that stream.",
            ),
            models.UniqueConstraint(
                fields=["stream", "network"],
                condition=Q(network__isnull=False),
                name="streammember_unique_network",
                violation_error_message="This organisation already has a role in that stream.",
            ),
        ]

    def __str__(self):
        return f"{self.city or self.network} ({self.get_role_display()})"

    def clean(self):
        check_one_member(self, "city", "network")


@pghistory.track()
class Pairing(TimeStampedModel):
    """A cooperation link between two or more cities inside a programme.

    Each city takes part with a role (pilot city, partner, potential partner, mentor...).
    The same set of cities is paired at most once per programme and stream: a database
    constraint trigger (``pairing_unique_city_set``) enforces it at commit.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    stream = models.ForeignKey(
        ThematicStream,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
    )
    title = models.CharField(
        max_length=300,
    )
    kind = models.CharField(
        max_length=30,
        choices=PairingKind.choices,
        default=PairingKind.PROGRAMME_PAIRING,
    )
    status = models.CharField(
        max_length=20,
        choices=PairingStatus.choices,
        default=PairingStatus.PROPOSED,
    )
    cities = models.ManyToManyField(
        "cities.City",
        through="PairingParticipant",
        related_name="pairings",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    description = models.TextField(
        blank=True,
    )
    is_published = models.BooleanField(
        default=True,
    )
    is_verified = models.BooleanField(
        default=True,
        help_text="Unticked for pairings taken from external data nobody has checked yet.",
    )
    citations = GenericRelation(
        "sources.Citation",
        related_query_name="pairing",
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "stream", "title", "id"]
        indexes = [
            # Each list filter, then the programme: the first page walks the programmes in
            # name order (programme_name_idx) and reads only their matching pairings.
            models.Index(fields=["status", "programme"], name="pairing_status_idx"),
            models.Index(fields=["kind", "programme"], name="pairing_kind_idx"),
            models.Index(fields=["is_verified", "programme"], name="pairing_verified_idx"),
            GinIndex(OpClass(folded("title"), name="gin_trgm_ops"), name="pairing_title_trgm_idx"),
        ]
        constraints = [
            date_in_range("start_date", "pairing"),
            date_in_range("end_date", "pairing"),
            end_not_before_start("start_date", "end_date", name="pairing_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:pairing_detail", kwargs={"pk": self.pk})

    @property
    def period_display(self) -> str:
        return format_period(self.start_date, self.end_date, self.date_precision)

    def clean(self):
        check_dates(self, "start_date", "end_date")
        if self.stream_id and self.programme_id and self.stream.programme_id != self.programme_id:
            raise ValidationError({"stream": "Choose a stream of the pairing's own programme."})


@pghistory.track()
class PairingParticipant(models.Model):
    """A city's part in a pairing, with its role."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="participants",
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="pairing_participations",
    )
    role = models.CharField(
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTNER,
    )
    note = models.CharField(
        max_length=300,
        blank=True,
    )

    objects = PairingPartQuerySet.as_manager()

    class Meta:
        ordering = ["pairing", "role", "city__name"]
        indexes = [
            # The pairings of a city or of a country's cities, read from the index alone.
            models.Index(fields=["city", "pairing"], name="participant_city_pairing_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "city"],
                name="participant_unique_city",
                violation_error_message="This city already takes part in the pairing: "
                "a city cannot be paired with itself.",
            ),
        ]

    def __str__(self):
        return f"{self.city} ({self.get_role_display()})"


@pghistory.track()
class PairingStatusChange(models.Model):
    """A step in a pairing's life: proposed, agreed (LoI/MoU), active, completed..."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(
        max_length=20,
        choices=PairingStatus.choices,
    )
    changed_on = models.DateField(
        validators=[validate_date_in_range],
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    note = models.CharField(
        max_length=300,
        blank=True,
    )

    objects = PairingPartQuerySet.as_manager()

    class Meta:
        ordering = ["pairing", "changed_on", "id"]
        constraints = [
            date_in_range("changed_on", "pairingstatuschange"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} on {self.changed_display}"

    @property
    def changed_display(self) -> str:
        return format_date(self.changed_on, self.date_precision)

    def clean(self):
        """Refuse a date in the future or out of step with the pairing's other changes.

        The database says the same (trigger ``pairing_status_history``, migration 0009):
        changes move forward in time in the order they were recorded, and the pairing's
        status is its latest change's.
        """
        super().clean()
        if self.changed_on is None or self.pairing_id is None:
            return
        today = timezone.localdate()
        if self.changed_on > today:
            raise ValidationError(
                {
                    "changed_on": f"A status change cannot be dated in the future (today is "
                    f"{format_date(today, DatePrecision.DAY)}): give the date it happened."
                }
            )
        others = PairingStatusChange.objects.filter(pairing_id=self.pairing_id)
        if self.pk is not None:
            later = others.filter(pk__gt=self.pk).order_by("pk").first()
            if later is not None and later.changed_on < self.changed_on:
                raise ValidationError(
                    {
                        "changed_on": f"Status changes move forward in time: this one "
                        f"cannot be dated after the next one ({later})."
                    }
                )
            others = others.filter(pk__lt=self.pk)
        earlier = others.order_by("-pk").first()
        if earlier is not None and earlier.changed_on > self.changed_on:
            raise ValidationError(
                {
                    "changed_on": f"Status changes move forward in time: this one cannot be "
                    f"dated before the previous one ({earlier}). Give a date on or after "
                    f"{format_date(earlier.changed_on, DatePrecision.DAY)}."
                }
            )


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


@pghistory.track()
class PartnerRequest(TimeStampedModel):
    """A city seeking partners on a theme: a post on the "seeking partners" board.

    Officers post what a city needs; the registry suggests matching cities; the request
    turns into a proposed pairing in one step.
    """

    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="partner_requests",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
    )
    stream = models.ForeignKey(
        ThematicStream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
    )
    theme = models.CharField(
        max_length=300,
        help_text="What the city needs, in words: e.g. sponge city flood retention.",
    )
    preferred_countries = CountryField(
        multiple=True,
        blank=True,
    )
    partner_kind = models.CharField(
        "kind of partner",
        max_length=20,
        choices=PartnerKind.choices,
        default=PartnerKind.ANY,
    )
    deadline = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
    )
    description = models.TextField(
        blank=True,
    )
    status = models.CharField(
        max_length=20,
        choices=PartnerRequestStatus.choices,
        default=PartnerRequestStatus.OPEN,
    )
    pairing = models.OneToOneField(
        Pairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_request",
        help_text="The pairing this request became.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
    )

    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        ordering = ["status", "deadline", "-created"]
        constraints = [
            date_in_range("deadline", "partnerrequest"),
            models.CheckConstraint(
                condition=Q(theme__regex=r"\S"),
                name="partnerrequest_theme_not_blank",
                violation_error_message="Say what the city is looking for.",
            ),
            models.CheckConstraint(
                condition=~Q(status=PartnerRequestStatus.PAIRED) | Q(pairing__isnull=False),
                name="partnerrequest_paired_has_pairing",
                violation_error_message="A request marked as paired must name its pairing.",
            ),
        ]

    def __str__(self):
        return f"{self.city.name} seeks partners: {self.theme}"

    def get_absolute_url(self):
        return reverse("partners:partner_request_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.stream_id and self.programme_id and self.stream.programme_id != self.programme_id:
            raise ValidationError({"stream": "Choose a stream of the request's own programme."})
