"""Pages about contacts, for officers of the networks involved and admins only."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import ListView

from contacts.forms import ContactRoleForm, PersonForm
from contacts.models import ContactRole, Person
from contacts.services import person_erase
from core.numbers import parse_whole_number
from core.views.forms import RecordCreateView, RecordDeleteView, RecordUpdateView
from core.views.records import RecordDetailView, VisibilityMixin, may
from core.visibility import visible_to

PAGE_SIZE = 50


class PersonListView(LoginRequiredMixin, VisibilityMixin, ListView):
    model = Person
    template_name = "contacts/person_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        people = super().get_queryset().select_related("organisation_city", "organisation_network")
        return people.search(self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.request.GET.get("q", "").strip()
        context["can_add"] = self.request.user.has_perm("contacts.add_person")
        return context


class PersonDetailView(LoginRequiredMixin, RecordDetailView):
    model = Person
    template_name = "contacts/person_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation_city", "organisation_network")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = (
            ContactRole.objects.visible_to(user)
            .filter(person=self.object)
            .select_related("city", "network", "programme", "stream", "pairing")
        )
        context["roles"] = [(role, may(user, "change", role)) for role in roles]
        context["can_add_role"] = user.has_perm("contacts.add_contactrole")
        return context


class PersonCreateView(RecordCreateView):
    model = Person
    form_class = PersonForm


class PersonUpdateView(RecordUpdateView):
    model = Person
    form_class = PersonForm


class PersonEraseView(RecordDeleteView):
    """Delete a person the only way there is: erased, their details blanked in history."""

    model = Person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_warning"] = (
            "Their record and roles are deleted, and their name and details are blanked "
            "in the history (the changes themselves stay). This cannot be undone."
        )
        return context

    def form_valid(self, form):
        person_erase(person=self.object)
        messages.success(self.request, "The person was erased.")
        return HttpResponseRedirect(reverse("contacts:person_list"))


class ContactRoleCreateView(RecordCreateView):
    model = ContactRole
    form_class = ContactRoleForm

    def get_initial(self):
        """Fill in the person or the record from the address (?person=3, ?city=7...)."""
        initial = super().get_initial()
        for name in ("person", "city", "network", "programme", "stream", "pairing"):
            pk = parse_whole_number(self.request.GET.get(name))
            if pk is None:
                continue
            model = ContactRole._meta.get_field(name).related_model
            # Only a record the user may see: a form must not name a hidden one.
            records = visible_to(self.request.user, model._default_manager.filter(pk=pk))
            if (record := records.first()) is not None:
                initial[name] = record
        return initial

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class ContactRoleUpdateView(RecordUpdateView):
    model = ContactRole
    form_class = ContactRoleForm

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class ContactRoleDeleteView(RecordDeleteView):
    model = ContactRole

    def get_success_url(self):
        return self.object.person.get_absolute_url()
