"""Pages about networks, programmes, thematic streams and pairings, and the map."""

import gzip

from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch
from django.db.models.functions import JSONObject
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from cities.filtersets import CityFilterSet
from cities.forms import city_filter_widget
from core import conflicts
from core.concurrency import ConflictError, changed_fields
from core.dates import format_period
from core.views.forms import (
    NOT_YOUR_PROGRAMME,
    RecordCreateView,
    RecordDeleteView,
    RecordUpdateView,
)
from core.views.links import address_maker
from core.views.lists import CleanQueryMixin, FilteredListView, only_params, prepare_filter_form
from core.views.records import RecordDetailView, add_errors
from core.visibility import visible_count, visible_to
from programmes.filtersets import (
    NetworkFilterSet,
    PairingFilterSet,
    ProgrammeFilterSet,
    ThematicStreamFilterSet,
)
from programmes.forms import (
    PairingForm,
    ProgrammeForm,
    StreamChoiceField,
    participant_formset,
    programme_id_in,
)
from programmes.map import MapDataError, map_data_gzip
from programmes.models import (
    Membership,
    Network,
    Pairing,
    PairingParticipant,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    ThematicStream,
)
from programmes.services import (
    default_title,
    pairing_create,
    pairing_set_participants,
    pairing_set_status,
    validate_participants,
)
from themes.views import ThemeFacetsMixin


def visible_pairing_count(user) -> Count:
    """Count a programme's or stream's pairings that ``user`` may read."""
    return visible_count(user, "pairings", Pairing)


def stream_members() -> Prefetch:
    """Prefetch a stream's lead, co-lead and member cities or organisations."""
    return Prefetch("members", queryset=StreamMember.objects.with_member())


# --- Networks ------------------------------------------------------------------------


class NetworkListView(FilteredListView):
    model = Network
    filterset_class = NetworkFilterSet
    table_template = "programmes/network_table.html"
    api_resource = "networks"
    filter_fields = ("q", "kind", "parent")
    checkbox_fields = ()

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("city", "parent")
            .annotate(member_count=Count("memberships", distinct=True))
        )


class NetworkDetailView(RecordDetailView):
    model = Network
    template_name = "programmes/network_detail.html"
    queryset = Network.objects.select_related("city", "parent").prefetch_related(
        "children", "citations__source"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.object
        context["memberships"] = Membership.objects.filter(network=network).with_member()
        context["programme_roles"] = (
            ProgrammeNetwork.objects.visible_to(self.request.user)
            .filter(network=network)
            .select_related("programme")
        )
        context["member_of"] = Membership.objects.filter(member_network=network).select_related(
            "network"
        )
        return context


# --- Programmes ----------------------------------------------------------------------


class ProgrammeListView(FilteredListView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    table_template = "programmes/programme_table.html"
    api_resource = "programmes"
    filter_fields = ("q", "status", "network")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                pairing_count=visible_pairing_count(self.request.user),
                stream_count=Count("streams", distinct=True),
            )
            .prefetch_related(
                Prefetch(
                    "programme_networks",
                    queryset=ProgrammeNetwork.objects.select_related("network"),
                )
            )
        )


class ProgrammeDetailView(RecordDetailView):
    model = Programme
    template_name = "programmes/programme_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "programme_networks",
                    queryset=ProgrammeNetwork.objects.select_related("network"),
                ),
                Prefetch(
                    "streams",
                    queryset=ThematicStream.objects.prefetch_related(
                        "priorities",
                        stream_members(),
                    ),
                ),
                "citations__source",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        context["pairings"] = visible_to(
            user, Pairing.objects.filter(programme=programme)
        ).with_participants()
        return context


class ProgrammeUpdateView(RecordUpdateView):
    model = Programme
    form_class = ProgrammeForm


# --- Thematic streams ----------------------------------------------------------------


class StreamListView(FilteredListView):
    model = ThematicStream
    filterset_class = ThematicStreamFilterSet
    table_template = "programmes/stream_table.html"
    api_resource = "thematic-streams"
    filter_fields = ("q", "programme", "theme")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme")
            .annotate(
                pairing_count=visible_pairing_count(self.request.user),
                priority_count=Count("priorities", distinct=True),
            )
        )


class StreamDetailView(RecordDetailView):
    model = ThematicStream
    context_object_name = "stream"
    template_name = "programmes/stream_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme")
            .prefetch_related("priorities", stream_members(), "citations__source")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stream, user = self.object, self.request.user
        context["pairings"] = visible_to(
            user, Pairing.objects.filter(stream=stream)
        ).with_participants()
        return context


# --- Pairings ------------------------------------------------------------------------


PAIRING_ROW_FIELDS = (
    "pk",
    "title",
    "status",
    "is_verified",
    "is_published",
    "start_date",
    "end_date",
    "date_precision",
)
PAIRING_STATUS_LABELS = dict(Pairing._meta.get_field("status").flatchoices)


def pairing_row_columns() -> dict:
    """Return what a row of the pairing list reads besides its own columns."""
    cities = (
        PairingParticipant.objects.filter(pairing=OuterRef("pk"))
        .order_by("role", "city__name")
        .values(shown=JSONObject(name="city__name", slug="city__slug", country="city__country"))
    )
    return {
        "programme_name": F("programme__name"),
        "programme_slug": F("programme__slug"),
        "stream_name": F("stream__name"),
        "city_rows": ArraySubquery(cities),
    }


def pairing_rows(values) -> list[dict]:
    """Return the pairing table's rows (``programmes/pairing_table.html``) from ``values``."""
    pairing_url = address_maker("programmes:pairing_detail", "pk")
    programme_url = address_maker("programmes:programme_detail", "slug")
    city_url = address_maker("cities:city_detail", "slug")
    return [
        {
            **row,
            "url": pairing_url(row["pk"]),
            "status_label": PAIRING_STATUS_LABELS.get(row["status"], row["status"]),
            "programme_url": programme_url(row["programme_slug"]),
            "period": format_period(row["start_date"], row["end_date"], row["date_precision"]),
            "cities": [{**city, "url": city_url(city["slug"])} for city in row["city_rows"]],
        }
        for row in values
    ]


class PairingListView(ThemeFacetsMixin, FilteredListView):
    model = Pairing
    filterset_class = PairingFilterSet
    table_template = "programmes/pairing_table.html"
    api_resource = "pairings"
    filter_fields = (
        "q",
        "programme",
        "stream",
        "status",
        "kind",
        "city",
        "country",
        "network",
        "theme",
        "is_verified",
    )
    filter_widgets = {"city": city_filter_widget}
    create_url_name = "programmes:pairing_create"
    # Pairings, their participants, cities, themes, programmes, streams and networks all
    # advance the records' version (ProgrammesConfig, CitiesConfig): so do all it filters.
    kept_count = True

    rows_are_values = True

    def shape_rows(self, queryset):
        # Rows read lean: the columns the table shows, the cities as one array per row, no
        # model instance (the table was most of the page: objects, a prefetch, addresses).
        return queryset.values(*PAIRING_ROW_FIELDS, **pairing_row_columns())

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = pairing_rows(page.object_list)
        return paginator, page, page.object_list, is_paginated


class PairingDetailView(RecordDetailView):
    model = Pairing
    template_name = "programmes/pairing_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_participants(local_names=True)
            .prefetch_related("status_changes", "citations__source")
        )


class PairingFormMixin:
    """Create or edit a pairing with its participants, saved through the services."""

    model = Pairing
    form_class = PairingForm
    template_name = "programmes/pairing_form.html"
    extra_rows = 1

    def get_formset(self):
        formset_class = participant_formset(extra=self.extra_rows)
        data = self.request.POST if self.request.method == "POST" else None
        return formset_class(data, initial=self.participant_initial(), prefix="participants")

    def participant_initial(self):
        return []

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if self.permission_action == "change" else None
        self.original_status = self.object.status if self.object else None
        form, formset = self.get_form(), self.get_formset()
        formset_valid = formset.is_valid()
        if formset_valid:
            form.default_title = default_title(formset.cities())
        if form.is_valid() and formset_valid and not self.may_save(form.instance):
            form.add_error("programme", NOT_YOUR_PROGRAMME)
        elif form.is_valid() and formset_valid and self.conflict_choices_missing(form):
            pass  # the form comes back asking for a choice per field in conflict
        elif form.is_valid() and formset_valid:
            try:
                with transaction.atomic():
                    self.lock_record(form)
                    self.object = self.save(form, formset)
            except ConflictError as conflict:
                self.show_conflict(form, conflict)
            except ValidationError as error:
                self.show_errors(error, form, formset)
            else:
                conflicts.forget(request.session, self.object)
                messages.success(request, f"Pairing “{self.object}” saved.")
                return redirect(self.object)
        elif formset_valid and form.cleaned_data.get("programme"):
            # Say what is wrong with the cities now, not only once the rest is fixed.
            try:
                validate_participants(
                    programme_id=form.cleaned_data["programme"].pk,
                    stream_id=getattr(form.cleaned_data.get("stream"), "pk", None),
                    participants=formset.specs(),
                    exclude_pk=getattr(self.object, "pk", None),
                )
            except ValidationError as error:
                self.show_errors(error, form, formset)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    @staticmethod
    def show_errors(error: ValidationError, form, formset) -> None:
        if not hasattr(error, "error_dict"):
            add_errors(form, error)
            return
        others = error.message_dict
        if "changed_on" in others:  # the status change's date is the form's own field
            others["status_changed_on"] = others.pop("changed_on")
        if "participants" in others:
            formset.add_error(others.pop("participants"))
        if others:
            add_errors(form, ValidationError(others))


class PairingCreateView(PairingFormMixin, RecordCreateView):
    extra_rows = 3

    def save(self, form, formset):
        data = form.cleaned_data
        return pairing_create(
            programme=data["programme"],
            stream=data["stream"],
            title=data["title"],
            status=data["status"],
            status_date=data["status_changed_on"],
            participants=formset.specs(),
            **form.model_fields(),
        )


class PairingUpdateView(PairingFormMixin, RecordUpdateView):
    def participant_initial(self):
        return [
            {"city": participant.city, "role": participant.role, "note": participant.note}
            for participant in PairingParticipant.objects.filter(pairing=self.object)
            .select_related("city")
            .order_by("id")
        ]

    def save(self, form, formset):
        pairing = form.save(commit=False)
        new_status, pairing.status = pairing.status, self.original_status
        # Locked by lock_record(): unchanged fields write nothing (no new version, no event).
        if changed_fields(pairing, Pairing.objects.get(pk=pairing.pk)):
            pairing.save()
        form.save_m2m()  # its themes
        pairing_set_participants(pairing=pairing, participants=formset.specs())
        if new_status != self.original_status:
            pairing_set_status(
                pairing=pairing,
                status=new_status,
                changed_on=form.cleaned_data["status_changed_on"],
                note=form.cleaned_data["status_note"],
            )
        return pairing


class PairingDeleteView(RecordDeleteView):
    model = Pairing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_warning"] = (
            "This deletes the pairing with its participants and status history. "
            "Its activities stay in the registry, no longer linked to a pairing."
        )
        return context


def stream_options(request):
    """Return the <option>s of a stream select for the chosen programme (htmx swaps them)."""
    field = StreamChoiceField(
        queryset=visible_to(request.user, ThematicStream.objects.all()),
        programme_id=programme_id_in(request.GET.get("programme")),
    )
    select = field.widget.render("stream", request.GET.get("stream", ""))
    # The same markup as the form's own select, without the <select> element around it.
    return HttpResponse(select[select.index(">") + 1 : select.rindex("</select>")])


# --- Map -----------------------------------------------------------------------------


def with_query(url: str, query) -> str:
    """Return ``url`` with the parameters of ``query`` (a QueryDict), if any."""
    return f"{url}?{query.urlencode()}" if query else url


class MapView(CleanQueryMixin, TemplateView):
    """Cities as markers and pairings as lines, drawn from GeoJSON at the map's addresses."""

    template_name = "programmes/map.html"
    filter_fields = ("q", "programme", "stream", "status", "kind", "city", "country", "theme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        filterset = PairingFilterSet(query or None, queryset=Pairing.objects.none())
        prepare_filter_form(
            filterset.form,
            shown=self.filter_fields,
            checkboxes=("status", "kind"),
            widgets={"city": city_filter_widget},
            user=self.request.user,
        )
        context["filter_form"] = filterset.form
        context["filter_shown"] = [filterset.form[name] for name in self.filter_fields]
        city_query = only_params(query, CityFilterSet.base_filters)
        pairing_query = only_params(query, PairingFilterSet.base_filters)
        context["cities_url"] = with_query(reverse("programmes:map_cities"), city_query)
        context["pairings_url"] = with_query(reverse("programmes:map_pairings"), pairing_query)
        context["data_url"] = with_query(reverse("programmes:map_data"), query)
        context["is_filtered"] = is_filtered(query)
        return context


def is_filtered(query) -> bool:
    """Whether the map's ``query`` filters anything (then only the cities paired are drawn)."""
    return any(value for key, value in query.items() if key != "page")


@require_safe
def map_data(request):
    """The map page's data in its compact form (``programmes.map``), gzipped when the
    browser takes it; 400 with the reasons if a filter is not valid."""
    query = request.GET
    try:
        body = map_data_gzip(
            request,
            only_params(query, PairingFilterSet.base_filters),
            only_params(query, CityFilterSet.base_filters),
            only_paired=is_filtered(query),
        )
    except MapDataError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    headers = {"Vary": "Accept-Encoding, Cookie", "Cache-Control": "private, no-cache"}
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        headers["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    return HttpResponse(body, content_type="application/json", headers=headers)
