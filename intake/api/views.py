"""The proposals API, added to the sources' viewset (``IntakeConfig.ready()``): sources sit
below intake in the layers and import nothing of it."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from intake.api.serializers import (
    IntakeRunSerializer,
    ProposalAcceptSerializer,
    ProposalKindSerializer,
    ProposalsDecidedSerializer,
    ProposalSerializer,
)
from intake.models import IntakeRun
from intake.services import (
    intake_queue,
    proposal_accept,
    proposal_reject,
    proposals_accept_all,
    proposals_reject_all,
)
from intake.views import MAY_NOT_REVIEW
from sources.api.views import refusal
from sources.querysets import may_manage_source

PROPOSAL_ACTION = {
    "detail": True,
    "permission_classes": [permissions.IsAuthenticated],
    "renderer_classes": [renderers.JSONRenderer],
    "filter_backends": [],
    "pagination_class": None,
}


def managed_source(viewset):
    """Return the source of the request, 404 if hidden, 403 unless the user manages it."""
    source = viewset.get_object()
    if not may_manage_source(viewset.request.user, source):
        raise PermissionDenied(MAY_NOT_REVIEW)
    return source


@extend_schema(
    summary="A source's proposals",
    description="The records the intake engine proposes from the source's text, each with "
    "its quote and locator, what it matches in the registry (`existing`) and its status. "
    "While the document is still being read in the background the answer is a 202 saying "
    "so (ask again a little later). For the officers of the source's programme and "
    "administrators.",
    responses={
        200: ProposalSerializer(many=True),
        202: OpenApiResponse(
            IntakeRunSerializer, description="Proposals are being prepared: ask again later."
        ),
    },
    filters=False,
)
@action(methods=["get"], url_path="proposals", **PROPOSAL_ACTION)
def proposals(self, request, *args, **kwargs):
    source = managed_source(self)
    run = IntakeRun.objects.filter(source=source).first()
    if run is not None and run.pending:
        return Response(IntakeRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
    return Response(ProposalSerializer(source.proposals.order_by("kind", "id"), many=True).data)


@extend_schema(
    methods=["GET"],
    summary="Where the reading of a source for proposals is",
    description="queued or running (proposals are being prepared), done, or failed with "
    "a sentence saying why (`error`). 404 when the source was never read.",
    request=None,
    responses=IntakeRunSerializer,
    filters=False,
)
@extend_schema(
    methods=["POST"],
    summary="Read a source for proposals again",
    description="Queue the reading in the background (202); nothing already proposed, "
    "accepted or rejected is proposed twice.",
    request=None,
    responses={202: IntakeRunSerializer},
    filters=False,
)
@action(methods=["get", "post"], url_path="intake", url_name="intake", **PROPOSAL_ACTION)
def intake(self, request, *args, **kwargs):
    source = managed_source(self)
    if request.method == "POST":
        run = intake_queue(source)
        return Response(IntakeRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
    run = IntakeRun.objects.filter(source=source).first()
    if run is None:
        raise NotFound("This source was never read for proposals: POST here to read it.")
    return Response(IntakeRunSerializer(run).data)


@extend_schema(
    summary="Accept a proposal",
    description="Create or update its record (with the edited `fields`, if any) and cite "
    "the source for it, in one transaction. A proposal decided already is a 400.",
    request=ProposalAcceptSerializer,
    responses=ProposalSerializer,
    filters=False,
)
@action(
    methods=["post"],
    url_path=r"proposals/(?P<proposal_id>[0-9]+)/accept",
    url_name="proposal-accept",
    **PROPOSAL_ACTION,
)
def proposal_accept_action(self, request, proposal_id=None, *args, **kwargs):
    source = managed_source(self)
    proposal = get_object_or_404(source.proposals, pk=proposal_id)
    body = ProposalAcceptSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        proposal = proposal_accept(
            proposal=proposal, user=request.user, edits=body.validated_data["fields"]
        )
    except ModelValidationError as error:
        raise refusal(error) from error
    return Response(ProposalSerializer(proposal).data)


@extend_schema(
    summary="Reject a proposal",
    description="It is not proposed again for this source.",
    request=None,
    responses=ProposalSerializer,
    filters=False,
)
@action(
    methods=["post"],
    url_path=r"proposals/(?P<proposal_id>[0-9]+)/reject",
    url_name="proposal-reject",
    **PROPOSAL_ACTION,
)
def proposal_reject_action(self, request, proposal_id=None, *args, **kwargs):
    source = managed_source(self)
    proposal = get_object_or_404(source.proposals, pk=proposal_id)
    try:
        proposal = proposal_reject(proposal=proposal, user=request.user)
    except ModelValidationError as error:
        raise refusal(error) from error
    return Response(ProposalSerializer(proposal).data)


@extend_schema(
    summary="Accept or reject all waiting proposals of a kind",
    description="`decision` accept or reject, for every waiting proposal of `kind`; each "
    "accepted in its own transaction, so one that cannot be accepted (`problems` says why) "
    "does not stop the others.",
    request=ProposalKindSerializer,
    responses=ProposalsDecidedSerializer,
    filters=False,
)
@action(
    methods=["post"],
    url_path="proposals/decide-all",
    url_name="proposals-decide-all",
    **PROPOSAL_ACTION,
)
def proposals_decide_all(self, request, *args, **kwargs):
    source = managed_source(self)
    body = ProposalKindSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    kind, user = body.validated_data["kind"], request.user
    if body.validated_data["decision"] == "accept":
        count, problems = proposals_accept_all(source=source, kind=kind, user=user)
    else:
        count, problems = proposals_reject_all(source=source, kind=kind, user=user), []
    return Response({"decided": count, "problems": problems})


def register_source_actions(viewset) -> None:
    """Give the sources' viewset the proposals actions (before the router builds routes)."""
    viewset.proposals = proposals
    viewset.intake = intake
    viewset.proposal_accept_action = proposal_accept_action
    viewset.proposal_reject_action = proposal_reject_action
    viewset.proposals_decide_all = proposals_decide_all
