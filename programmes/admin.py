import itertools

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from import_export.admin import ImportExportMixin
from knox.admin import AuthTokenAdmin as KnoxTokenAdmin
from knox.models import AuthToken
from knox.settings import knox_settings

from cities.admin import CitySearchMixin
from programmes.models import (
    Membership,
    Network,
    NetworkStaff,
    Pairing,
    PairingParticipant,
    PairingStatusChange,
    Programme,
    ProgrammeNetwork,
    StreamMember,
    StreamPriority,
    ThematicStream,
)
from programmes.resources import MembershipResource, NetworkResource, PairingResource
from sources.admin import CitationInline


class ProgrammeNetworkInline(admin.TabularInline):
    model = ProgrammeNetwork
    extra = 0
    autocomplete_fields = ["network", "programme"]


class ThematicStreamInline(admin.TabularInline):
    model = ThematicStream
    extra = 0
    fields = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class StreamPriorityInline(admin.TabularInline):
    model = StreamPriority
    extra = 0
    autocomplete_fields = ["themes"]


class StreamMemberInline(admin.TabularInline):
    model = StreamMember
    extra = 0
    autocomplete_fields = ["city", "network"]


class PairingParticipantInline(admin.TabularInline):
    model = PairingParticipant
    extra = 0
    min_num = 2
    autocomplete_fields = ["city"]


class PairingStatusChangeFormSet(BaseInlineFormSet):
    """A pairing's status history as a whole: in date order, ending at its status.

    Each row's ``clean()`` checks it against the stored history; this checks the rows of
    the page against each other and the pairing's status field above them.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = sorted(
            (
                form
                for form in self.forms
                if form.cleaned_data and not self._should_delete_form(form)
            ),
            key=lambda form: (form.instance.pk is None, form.instance.pk or 0),
        )
        for before, after in itertools.pairwise(kept):
            if after.cleaned_data["changed_on"] < before.cleaned_data["changed_on"]:
                raise ValidationError(
                    f"Status changes move forward in time: “{after.instance}” cannot "
                    f"come after “{before.instance}”. Correct the dates, or delete the row "
                    "that is out of order."
                )
        if kept and kept[-1].cleaned_data["status"] != self.instance.status:
            latest = kept[-1].instance.get_status_display()
            raise ValidationError(
                f"The pairing's status is its latest status change (“{latest}”): to move it "
                f"to “{self.instance.get_status_display()}”, add a status change for it, "
                "dated when it happened, or leave the status as it is."
            )


class PairingStatusChangeInline(admin.TabularInline):
    model = PairingStatusChange
    formset = PairingStatusChangeFormSet
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    extra = 0
    autocomplete_fields = ["city", "member_network"]


@admin.register(Network)
class NetworkAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [NetworkResource]
    list_display = ["name", "acronym", "kind", "parent", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "city"]
    list_select_related = ["parent", "city"]
    inlines = [ProgrammeNetworkInline, CitationInline]
    readonly_fields = ["created", "modified"]


@admin.register(Membership)
class MembershipAdmin(CitySearchMixin, ImportExportMixin, admin.ModelAdmin):
    city_search_field = "city"
    resource_classes = [MembershipResource]
    list_display = ["member", "network", "member_type", "regional_group", "joined_on"]
    list_filter = ["network", "member_type", "regional_group"]
    search_fields = ["city__name", "member_network__name", "member_network__acronym"]
    autocomplete_fields = ["network", "city", "member_network"]
    list_select_related = ["network", "city", "member_network"]
    inlines = [CitationInline]
    readonly_fields = ["created", "modified"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "status", "start_date", "end_date", "is_published"]
    list_filter = ["status", "is_published", "networks"]
    search_fields = ["name", "acronym", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgrammeNetworkInline, ThematicStreamInline, CitationInline]
    readonly_fields = ["created", "modified"]


@admin.register(ThematicStream)
class ThematicStreamAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    search_fields = ["name", "slug", "description", "programme__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["programme", "themes"]
    list_select_related = ["programme"]
    inlines = [StreamPriorityInline, StreamMemberInline, CitationInline]
    readonly_fields = ["created", "modified"]


@admin.register(Pairing)
class PairingAdmin(CitySearchMixin, ImportExportMixin, admin.ModelAdmin):
    city_search_field = "participants__city"
    resource_classes = [PairingResource]
    list_display = ["title", "programme", "stream", "kind", "status", "start_date", "is_verified"]
    list_filter = ["status", "kind", "programme", "is_published", "is_verified"]
    search_fields = ["title", "participants__city__name", "programme__name"]
    autocomplete_fields = ["programme", "stream", "themes"]
    list_select_related = ["programme", "stream"]
    inlines = [PairingParticipantInline, PairingStatusChangeInline, CitationInline]
    readonly_fields = ["created", "modified"]


@admin.register(NetworkStaff)
class NetworkStaffAdmin(admin.ModelAdmin):
    """Who works for which network: programme officers and partners."""

    list_display = ["user", "network", "role"]
    list_filter = ["role", "network"]
    search_fields = ["user__username", "user__email", "network__name", "network__acronym"]
    autocomplete_fields = ["user", "network"]
    list_select_related = ["user", "network"]


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class TokenAdmin(KnoxTokenAdmin):
    """Partners' API tokens: a new one expires after the default lifetime (API_TOKEN_DAYS)
    unless the admin changes the date or clears it."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("expiry", timezone.now() + knox_settings.TOKEN_TTL)
        return initial
