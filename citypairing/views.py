"""Project-wide pages: the home dashboard."""

from django.db.models import Count
from django.shortcuts import render

from activities.models import Activity
from cities.models import City
from programmes.models import Network, Pairing, Programme


def home(request):
    """Show the registry at a glance: counts, programmes and what comes next."""
    context = {
        "counts": {
            "cities": City.objects.count(),
            "networks": Network.objects.count(),
            "programmes": Programme.objects.published().count(),
            "pairings": Pairing.objects.published().count(),
            "activities": Activity.objects.published().count(),
        },
        "programmes": Programme.objects.published().annotate(
            pairing_count=Count("pairings", distinct=True)
        ),
    }
    return render(request, "home.html", context)
