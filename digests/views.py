from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import UpdateView

from digests.forms import DigestPreferenceForm
from digests.models import DigestPreference


class DigestPreferenceView(LoginRequiredMixin, UpdateView):
    """The signed-in user's digest e-mail: how often, in which time zone."""

    form_class = DigestPreferenceForm
    template_name = "digests/preferences.html"
    success_url = reverse_lazy("digests:preferences")

    def get_object(self, queryset=None):
        preference, _ = DigestPreference.objects.get_or_create(user=self.request.user)
        return preference

    def form_valid(self, form):
        messages.success(self.request, "Your digest settings are saved.")
        return super().form_valid(form)
