"""Pages for finding partners: "Find partners" for a city, and the seeking-partners board.

A request on the board names a city and what it needs; its page suggests partner cities
(``partners.ranking.suggest_partners``) and turns the request into a proposed pairing
in one step (``partners.services.partner_request_to_pairing``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, DetailView, ListView

from cities.models import City
from core.views.records import add_errors
from core.visibility import visible_to
from partners.choices import PartnerRequestStatus
from partners.filtersets import PartnerRequestFilterSet
from partners.forms import (
    PartnerRequestForm,
    RequestToPairingForm,
    page_search_form,
)
from partners.models import PartnerRequest
from partners.ranking import (
    current_partners,
    request_partners,
    request_suggestions,
    suggest_partners,
)
from partners.services import partner_request_to_pairing
from programmes.models import Pairing, Programme
from programmes.rules import is_programme_officer, managed_programme_ids

SUGGESTIONS_SHOWN = 20


def evidence_visible_to(user):
    """Return the function that narrows pairings and activities to what ``user`` may see."""
    return lambda queryset: visible_to(user, queryset)


def may_post_request(user) -> bool:
    """Officers and users granted the permission may post on the board."""
    return user.is_authenticated and (
        user.has_perm("partners.add_partnerrequest") or is_programme_officer(user)
    )


def may_manage_request(user, partner_request: PartnerRequest) -> bool:
    """Whoever posted the request, its programme's officers and admins may close it
    (``partners.rules``)."""
    return user.is_authenticated and user.has_perm(
        "partners.change_partnerrequest", partner_request
    )


def pairing_programmes(user):
    """Return the programmes ``user`` may add a pairing to (officers: their own)."""
    if not user.is_authenticated or not user.has_perm("programmes.add_pairing"):
        return Programme.objects.none()
    if user.has_perm("programmes.change_pairing"):
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=managed_programme_ids(user))


def visible_requests(user):
    """Return the requests ``user`` may read, with the pairing each became when they may
    read it (None otherwise)."""
    return PartnerRequest.objects.visible_to(user).prefetch_related(
        Prefetch("pairing", queryset=Pairing.objects.visible_to(user))
    )


# --- Find partners for a city ---------------------------------------------------------


class CityPartnersView(DetailView):
    """Rank partner cities for a city on a stream or a need, with the reasons in words."""

    model = City
    template_name = "partners/city_partners.html"
    context_object_name = "city"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = page_search_form(self.request.GET or None, user)
        suggestions = partners = None
        if form.is_bound and form.is_valid():
            theme = {
                "city": self.object,
                "stream": form.cleaned_data["stream"],
                "need": form.cleaned_data["need"],
                "visible": evidence_visible_to(user),
            }
            suggestions = suggest_partners(**theme, filters=form.filters(), limit=SUGGESTIONS_SHOWN)
            partners = current_partners(**theme)
        context.update(
            {
                "form": form,
                "suggestions": suggestions,
                "partners": partners,
                "active_filters": sum(
                    1
                    for name in form.fields
                    if name not in {"stream", "need"} and any(self.request.GET.getlist(name))
                ),
                "may_post_request": may_post_request(user),
                "api_url": reverse("api:city-partner-suggestions", kwargs={"pk": self.object.pk})
                + (f"?{self.request.GET.urlencode()}" if self.request.GET else ""),
            }
        )
        return context


# --- The seeking-partners board ---------------------------------------------------------


class PartnerRequestListView(ListView):
    """Open requests first, soonest deadline first; then those paired or closed."""

    model = PartnerRequest
    template_name = "partners/request_list.html"
    context_object_name = "partner_requests"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = PartnerRequestFilterSet(
            self.request.GET or None,
            queryset=visible_requests(self.request.user),
            request=self.request,
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return PartnerRequest.objects.none()
        return (
            self.filterset.qs.select_related("city", "programme", "stream")
            .annotate(
                open_first=Case(
                    When(status=PartnerRequestStatus.OPEN, then=Value(0)),
                    When(status=PartnerRequestStatus.PAIRED, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("open_first", F("deadline").asc(nulls_last=True), "-created", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_post_request"] = may_post_request(self.request.user)
        context["filter_errors"] = self.filterset.errors if self.filterset.is_bound else {}
        return context


class PartnerRequestCreateView(LoginRequiredMixin, UserPassesTestMixin, CreateView):
    model = PartnerRequest
    form_class = PartnerRequestForm
    template_name = "partners/request_form.html"

    def test_func(self):
        return may_post_request(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("city")
        if slug:
            initial["city"] = City.objects.filter(slug=slug).first()
        for name in ("stream", "theme"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        try:
            with transaction.atomic():
                self.object = form.save()
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Request posted: {self.object}.")
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("partners:partner_request_list")
        return context


class PartnerRequestDetailView(DetailView):
    """A request, the partners the registry suggests for it, and the step to a pairing."""

    model = PartnerRequest
    template_name = "partners/request_detail.html"
    context_object_name = "partner_request"

    def get_queryset(self):
        return visible_requests(self.request.user).select_related(
            "city", "programme", "stream__programme", "created_by"
        )

    def suggestions(self):
        """Suggest partners for the request: preferred countries first, else anywhere."""
        return request_suggestions(
            self.object, visible=evidence_visible_to(self.request.user), limit=SUGGESTIONS_SHOWN
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        partner_request, user = self.object, self.request.user
        suggestions, widened = self.suggestions()
        programmes = pairing_programmes(user)
        may_pair = partner_request.status == PartnerRequestStatus.OPEN and programmes.exists()
        if may_pair and form is None:
            form = RequestToPairingForm(
                request_obj=partner_request, suggestions=suggestions, programmes=programmes
            )
        context.update(
            {
                "suggestions": suggestions,
                "partners": request_partners(partner_request, visible=evidence_visible_to(user)),
                "widened": widened,
                "pair_form": form if may_pair else None,
                "may_manage": may_manage_request(user, partner_request)
                and partner_request.status == PartnerRequestStatus.OPEN,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        """Turn the request into a proposed pairing with the ticked partner cities."""
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        self.object = self.get_object()
        programmes = pairing_programmes(request.user)
        if not programmes.exists():
            raise PermissionDenied("You may not add pairings.")
        if self.object.status != PartnerRequestStatus.OPEN:
            messages.error(request, "This request is no longer open: it was paired or closed.")
            return redirect(self.object)
        suggestions, _ = self.suggestions()
        form = RequestToPairingForm(
            request.POST,
            request_obj=self.object,
            suggestions=suggestions,
            programmes=programmes,
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    pairing = partner_request_to_pairing(
                        request=self.object,
                        partner_ids=data["partners"],
                        programme=data["programme"],
                        stream=data["stream"],
                    )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "participants" in error.error_dict:
                    error = ValidationError({"partners": error.error_dict.pop("participants")})
                add_errors(form, error)
                self.object.refresh_from_db()
            else:
                messages.success(request, f"Proposed pairing “{pairing}” created from the request.")
                return redirect(pairing)
        context = self.get_context_data(form=form)
        return self.render_to_response(context)


def close_request(request, pk):
    """Close an open request (no pairing came of it)."""
    partner_request = get_object_or_404(visible_requests(request.user), pk=pk)
    if request.method != "POST":
        return redirect(partner_request)
    if not may_manage_request(request.user, partner_request):
        raise PermissionDenied("Only who posted the request or its programme's officers may.")
    if partner_request.status == PartnerRequestStatus.OPEN:
        partner_request.status = PartnerRequestStatus.CLOSED
        partner_request.save(update_fields=["status", "modified"])
        messages.success(request, "Request closed.")
    return redirect(partner_request)
