"""Proposals in the API: what the engine found, and an officer's decision."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake.choices import PREPARING, IntakeStatus, ProposalKind
from intake.models import IntakeRun, Proposal
from intake.views import existing_record


class ExistingRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    """A proposed record with the quote it rests on; ``fields`` names cities by registry
    id (``city_id``) where matched, else by GeoNames id, with their names."""

    fields = serializers.JSONField(help_text="The proposed record's fields.")
    existing = serializers.SerializerMethodField(
        help_text="The registry record it matches (accepting adds only what is new), or null."
    )
    record = serializers.IntegerField(
        source="record_id",
        read_only=True,
        allow_null=True,
        help_text="The record accepting it created or updated.",
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "kind",
            "fields",
            "quote",
            "locator",
            "reason",
            "existing",
            "status",
            "record",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ExistingRecordSerializer(allow_null=True))
    def get_existing(self, proposal):
        record = existing_record(proposal)
        return {"id": record.pk, "label": str(record)} if record is not None else None


class ProposalAcceptSerializer(serializers.Serializer):
    fields = serializers.DictField(
        required=False,
        default=dict,
        help_text="Edited fields (e.g. `title`, `start_date`, `end_date`, `date_precision`; "
        "for a name that means several cities, `city_id` or `geonames_id`).",
    )


class ProposalKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class ProposalsDecidedSerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="How many proposals were accepted or rejected.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Why the others could not be accepted."
    )


class IntakeRunSerializer(serializers.ModelSerializer):
    """Where the background reading of a source for proposals is."""

    status = serializers.ChoiceField(
        choices=IntakeStatus.choices,
        read_only=True,
        help_text="queued or running: proposals are being prepared; done; failed (`error`).",
    )
    detail = serializers.SerializerMethodField(help_text="The state, in a sentence.")

    class Meta:
        model = IntakeRun
        fields = ["status", "detail", "error", "proposed", "queued_at", "finished_at"]
        read_only_fields = fields

    def get_detail(self, run) -> str:
        if run.pending:
            return PREPARING
        if run.status == IntakeStatus.FAILED:
            return run.error
        return f"Done: {run.proposed} new proposal{'s' if run.proposed != 1 else ''}."
