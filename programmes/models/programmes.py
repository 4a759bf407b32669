"""Programmes, the networks that run them, and their thematic streams."""

import pghistory
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse

from core.constraints import check_dates, period_rules
from core.dates import DatePrecision, format_period, validate_date_in_range
from core.models import TimeStampedModel, city_or_network_member
from programmes.choices import ProgrammeRole, ProgrammeStatus, StreamMemberRole
from programmes.models.networks import Network
from programmes.querysets import (
    ProgrammeNetworkQuerySet,
    ProgrammeQuerySet,
    StreamMemberQuerySet,
    StreamPartQuerySet,
    ThematicStreamQuerySet,
)


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
            *period_rules("programme"),
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
    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="streams",
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

    themes = models.ManyToManyField(
        "themes.Theme",
        blank=True,
        related_name="stream_priorities",
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


MemberOfStream = city_or_network_member(
    parent="stream",
    parent_model="programmes.ThematicStream",
    parent_related_name="members",
    city_related_name="stream_roles",
    network_related_name="stream_roles",
    network_verbose_name="organisation",
    either_message="A stream member is either a city or an organisation.",
    taken="already has a role in that stream",
)


@pghistory.track()
class StreamMember(MemberOfStream):
    """A city or organisation that leads, co-leads or belongs to a stream or cluster."""

    role = models.CharField(
        max_length=20,
        choices=StreamMemberRole.choices,
        default=StreamMemberRole.MEMBER,
    )

    objects = StreamMemberQuerySet.as_manager()

    class Meta(MemberOfStream.Meta):
        ordering = ["stream", "role", "id"]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()})"


# Which themes a record carries is history too.
pghistory.track(model_name="ThematicStreamThemesEvent")(ThematicStream.themes.through)
pghistory.track(model_name="StreamPriorityThemesEvent")(StreamPriority.themes.through)
