"""The digest's section of an officer's My work page (``core.views.panels``, "my_work")."""

from django.template.loader import render_to_string

from digests.choices import DigestFrequency
from digests.models import DigestPreference


def my_work_panel(request, user) -> str:
    """Return the section saying how often ``user`` gets the digest, with where to change it."""
    preference = DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)
    return render_to_string(
        "digests/my_work_section.html",
        {"preference": preference, "is_off": preference.frequency == DigestFrequency.OFF},
        request=request,
    )
