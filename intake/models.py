"""Proposals: records a source's text supports, waiting for an officer's decision."""

import pghistory
from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from intake.choices import INTAKE_PENDING, IntakeStatus, ProposalKind, ProposalStatus


@pghistory.track()
class Proposal(TimeStampedModel):
    """A record the intake engine found in a source: a city, an organisation, a dated
    activity, a pairing or a membership, with the verbatim quote it rests on.

    ``key`` says what is proposed (the same city, the same activity on the same day), so
    running intake again proposes nothing an officer has decided on already.
    """

    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    kind = models.CharField(
        max_length=20,
        choices=ProposalKind.choices,
    )
    key = models.CharField(
        max_length=300,
        help_text="What is proposed, the same whatever the run: no proposal twice.",
    )
    fields = models.JSONField(
        default=dict,
        help_text="The proposed record's fields (cities by registry id where matched).",
    )
    quote = models.TextField(
        help_text="The passage the proposal rests on, as the source has it.",
    )
    locator = models.CharField(
        max_length=100,
        blank=True,
    )
    reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the engine proposes it (how the name was matched, what dated it).",
    )
    existing_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The registry record of this kind it matches, if any: accepting then adds "
        "only what is new (a citation, a date, a participant).",
    )
    status = models.CharField(
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(
        null=True,
        blank=True,
    )
    record_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The record accepting it created or updated.",
    )

    class Meta:
        ordering = ["source", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="proposal_unique_key"),
            models.CheckConstraint(
                condition=models.Q(status=ProposalStatus.PROPOSED, decided_at__isnull=True)
                | (~models.Q(status=ProposalStatus.PROPOSED) & models.Q(decided_at__isnull=False)),
                name="proposal_decided_when_decided",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.ACCEPTED)
                | models.Q(record_id__isnull=False),
                name="proposal_accepted_has_record",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        """Return what the proposal names, in a few words."""
        f = self.fields
        if self.kind == ProposalKind.PAIRING:
            return " – ".join(p.get("name", "") for p in f.get("participants", []))
        if self.kind == ProposalKind.MEMBERSHIP:
            return f"{f.get('member_name', '')} in {f.get('network', '') or 'the network'}"
        return f.get("title") or f.get("name") or self.key


class IntakeRun(TimeStampedModel):
    """The background reading of one source for proposals: queued when the source is
    added (or an officer asks again), then done, or failed with a sentence saying why."""

    source = models.OneToOneField(
        "sources.Source",
        on_delete=models.CASCADE,
        related_name="intake_run",
    )
    status = models.CharField(
        max_length=10,
        choices=IntakeStatus.choices,
        default=IntakeStatus.QUEUED,
    )
    error = models.TextField(
        blank=True,
        help_text="Why the last reading failed, in a sentence (empty unless it failed).",
    )
    proposed = models.PositiveIntegerField(
        default=0,
        help_text="How many new proposals the last reading made.",
    )
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
    )
    finished_at = models.DateTimeField(
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-queued_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=IntakeStatus.FAILED) | ~models.Q(error=""),
                name="intake_run_failure_says_why",
                violation_error_message="A failed reading says why.",
            ),
        ]

    def __str__(self):
        return f"Reading of {self.source_id}: {self.get_status_display()}"

    @property
    def pending(self) -> bool:
        """Return True while the proposals are still being prepared."""
        return self.status in INTAKE_PENDING
