"""The review page: a source's proposals, to accept (as found or edited) or reject."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from activities.choices import ActivityKind
from activities.models import Activity
from cities.models import City
from core.dates import DatePrecision
from core.views.records import VisibilityMixin, permission_denied
from intake.choices import PREPARING, ProposalKind, ProposalStatus
from intake.models import IntakeRun, Proposal
from intake.services import (
    intake_queue,
    proposal_accept,
    proposal_reject,
    proposals_accept_all,
    proposals_reject_all,
)
from programmes.models import Membership, Network, Pairing
from sources.querysets import may_manage_source

ACTIVITY_KINDS = dict(ActivityKind.choices)
RECORD_MODELS = {
    ProposalKind.CITY: City,
    ProposalKind.NETWORK: Network,
    ProposalKind.ACTIVITY: Activity,
    ProposalKind.PAIRING: Pairing,
    ProposalKind.MEMBERSHIP: Membership,
}
MAY_NOT_REVIEW = (
    "Only the officers of this source's programme, and administrators, review its proposals."
)
# Fields an officer may edit before accepting, per kind (the rest are the engine's).
EDITABLE = {
    # A new place's (no gazetteer id) name and country; a known city is as it is.
    ProposalKind.CITY: ["name", "country"],
    ProposalKind.NETWORK: ["name", "acronym"],
    ProposalKind.ACTIVITY: ["title", "start_date", "end_date", "date_precision"],
    ProposalKind.PAIRING: [],
    ProposalKind.MEMBERSHIP: [],
}

FIELD_LABELS = {
    "name": "Name",
    "acronym": "Acronym",
    "title": "Title",
    "start_date": "Start",
    "end_date": "End",
    "date_precision": "Date known to the",
    "country": "Country (ISO code)",
}


def existing_record(proposal: Proposal):
    """Return the registry record a proposal matches, or None."""
    if not proposal.existing_id:
        return None
    return RECORD_MODELS[proposal.kind]._default_manager.filter(pk=proposal.existing_id).first()


def accepted_record(proposal: Proposal):
    """Return the record accepting the proposal created or updated, or None."""
    if not proposal.record_id:
        return None
    return RECORD_MODELS[proposal.kind]._default_manager.filter(pk=proposal.record_id).first()


def is_new_place(proposal: Proposal) -> bool:
    """Return True for a city proposal of a place no gazetteer holds (no ids)."""
    city = proposal.fields.get("city") or {}
    return bool(city) and not (city.get("city_id") or city.get("geonames_id"))


class ProposalReviewView(LoginRequiredMixin, VisibilityMixin, DetailView):
    """``/sources/<slug>/proposals/``: registered for sources in ``IntakeConfig.ready()``."""

    template_name = "intake/proposal_review.html"
    context_object_name = "source"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        if not may_manage_source(request.user, self.object):
            return permission_denied(
                request,
                reason=MAY_NOT_REVIEW,
                back_url=self.object.get_absolute_url(),
                back_label=f"Back to {self.object}",
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposals = list(self.object.proposals.order_by("kind", "id"))
        for proposal in proposals:
            proposal.existing = existing_record(proposal)
            proposal.record = accepted_record(proposal)
            proposal.editable = [
                (name, FIELD_LABELS[name], self.value(proposal, name))
                for name in EDITABLE[proposal.kind]
            ]
            if proposal.kind == ProposalKind.CITY and not is_new_place(proposal):
                proposal.editable = []
            proposal.choices = proposal.fields.get("choices") or []
            proposal.kind_label = ACTIVITY_KINDS.get(proposal.fields.get("kind"), "")
        groups = []
        for kind, label in ProposalKind.choices:
            of_kind = [p for p in proposals if p.kind == kind]
            if of_kind:
                waiting = sum(p.status == ProposalStatus.PROPOSED for p in of_kind)
                groups.append(
                    {"kind": kind, "label": label, "proposals": of_kind, "waiting": waiting}
                )
        context.update(
            run=IntakeRun.objects.filter(source=self.object).first(),
            preparing=PREPARING,
            groups=groups,
            precisions=DatePrecision.choices,
            waiting=sum(g["waiting"] for g in groups),
        )
        return context

    def post(self, request, *args, **kwargs):
        source, user = self.object, request.user
        action = request.POST.get("action", "")
        kind = request.POST.get("kind", "")
        try:
            if action == "propose":
                # In the background: a long report must not hold the officer's request.
                intake_queue(source)
                messages.success(request, "The document will be read again. " + PREPARING)
            elif action in ("accept_all", "reject_all") and kind in ProposalKind.values:
                if action == "accept_all":
                    count, problems = proposals_accept_all(source=source, kind=kind, user=user)
                    messages.success(request, f"{count} accepted.")
                    for problem in problems:
                        messages.error(request, problem)
                else:
                    count = proposals_reject_all(source=source, kind=kind, user=user)
                    messages.success(request, f"{count} rejected.")
            elif action in ("accept", "reject"):
                number = request.POST.get("proposal", "")
                proposal = (
                    get_object_or_404(source.proposals, pk=number) if number.isdigit() else None
                )
                if proposal is None:
                    messages.error(request, "Choose a proposal of this source.")
                elif action == "reject":
                    proposal_reject(proposal=proposal, user=user)
                    messages.success(request, f"Rejected: {proposal.label}.")
                else:
                    proposal = proposal_accept(
                        proposal=proposal, user=user, edits=self.edits(proposal)
                    )
                    messages.success(request, f"Accepted: {proposal.label}.")
            else:
                messages.error(request, "Choose what to do: accept or reject a proposal.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.path)

    @staticmethod
    def value(proposal: Proposal, name: str) -> str:
        if name == "country" and not proposal.fields.get("country"):
            return (proposal.fields.get("city") or {}).get("country") or ""
        return proposal.fields.get(name) or ""

    def edits(self, proposal: Proposal) -> dict:
        """Return the fields the officer changed on the page."""
        edits = {}
        for name in EDITABLE[proposal.kind]:
            value = self.request.POST.get(name)
            if value is not None and value != self.value(proposal, name):
                edits[name] = value.strip() or None
        # A name that means several cities: the officer's choice ("city:12", "geonames:34").
        kind, _, number = self.request.POST.get("choice", "").partition(":")
        if kind in ("city", "geonames") and number.isdigit():
            edits[f"{kind}_id"] = int(number)
        return edits
