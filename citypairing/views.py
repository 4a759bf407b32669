"""Project-wide pages: the home dashboard and the search across every kind of record."""

import datetime
from operator import itemgetter

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django_countries import countries

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from cities.models import City
from citypairing.views_base import visible_to
from citypairing.visibility import may_see, records_prefetch, visible_count
from programmes.filtersets import NetworkFilterSet, PairingFilterSet, ProgrammeFilterSet
from programmes.models import Network, Pairing, Programme, ThematicStream
from sources.models import Citation, Source

UPCOMING_DAYS = 90


def counted(user, relation: str) -> Count:
    """Count the related pairings or activities ``user`` may read."""
    model = {"pairings": Pairing, "activities": Activity}[relation]
    return visible_count(user, relation, model)


def recently_changed(user, size: int = 10) -> list:
    """Return the records changed most recently, newest first, whatever their kind."""
    querysets = [
        City.objects.all(),
        Network.objects.all(),
        visible_to(user, Programme.objects.all()),
        visible_to(user, Pairing.objects.all()),
        visible_to(user, Activity.objects.all()),
    ]
    records = [
        {"kind": qs.model._meta.verbose_name, "record": record, "modified": record.modified}
        for qs in querysets
        for record in qs.order_by("-modified")[:size]
    ]
    return sorted(records, key=itemgetter("modified"), reverse=True)[:size]


def home(request):
    """Show the registry at a glance: counts, what comes next, what changed, the sources."""
    user = request.user
    today = datetime.date.today()
    pairings = visible_to(user, Pairing.objects.all())
    status_counts = dict(
        pairings.order_by().values_list("status").annotate(count=Count("id", distinct=True))
    )
    country_pairings = (
        pairings.order_by()
        .values("participants__city__country")
        .annotate(pairings=Count("id", distinct=True))
        .order_by("-pairings", "participants__city__country")[:12]
    )
    city_counts = dict(City.objects.order_by().values_list("country").annotate(Count("id")))

    context = {
        "counts": {
            "cities": City.objects.count(),
            "networks": Network.objects.count(),
            "programmes": visible_to(user, Programme.objects.all()).count(),
            "pairings": pairings.count(),
            "activities": visible_to(user, Activity.objects.all()).count(),
        },
        "programmes": visible_to(user, Programme.objects.all()).annotate(
            pairing_count=counted(user, "pairings"),
            activity_count=counted(user, "activities"),
        ),
        "streams": (
            visible_to(user, ThematicStream.objects.all())
            .select_related("programme")
            .annotate(pairing_count=counted(user, "pairings"))
            .order_by("programme__name", "order", "name")
        ),
        "statuses": [
            (value, label, status_counts.get(value, 0))
            for value, label in Pairing._meta.get_field("status").choices
        ],
        "countries": [
            {
                "code": row["participants__city__country"],
                "name": countries.name(row["participants__city__country"]),
                "pairings": row["pairings"],
                "cities": city_counts.get(row["participants__city__country"], 0),
            }
            for row in country_pairings
            if row["participants__city__country"]
        ],
        "upcoming": visible_to(user, Activity.objects.upcoming(today, UPCOMING_DAYS))
        .select_related("location_city", "programme")
        .order_by("start_date", "title")[:12],
        "upcoming_days": UPCOMING_DAYS,
        "recent": recently_changed(user),
        "sources": Source.objects.annotate(citation_count=Count("citations")).order_by(
            "-citation_count", "title"
        )[:8],
        "quotes": Citation.objects.select_related("source", "content_type")
        .prefetch_related(records_prefetch())
        .order_by("-modified")[:5],
    }
    # A quote of a record the user may not see would show what is not published yet.
    context["quotes"] = [c for c in context["quotes"] if c.record and may_see(user, c.record)]
    return render(request, "home.html", context)


SEARCH_SIZE = 8


def search(request):
    """Search every kind of record at once; each group links to its full, filtered list."""
    text = request.GET.get("q", "").strip()
    user = request.user
    groups = []
    if text:
        data = {"q": text}
        sources = [
            (
                "Cities",
                "cities:city_list",
                City.objects.search(text)
                .prefetch_related("alternative_names")
                .order_by("-match_score", "name"),
            ),
            (
                "Pairings",
                "programmes:pairing_list",
                PairingFilterSet(
                    data, queryset=visible_to(user, Pairing.objects.all())
                ).qs.with_participants(),
            ),
            (
                "Programmes",
                "programmes:programme_list",
                ProgrammeFilterSet(data, queryset=visible_to(user, Programme.objects.all())).qs,
            ),
            (
                "Activities",
                "activities:activity_list",
                ActivityFilterSet(
                    data, queryset=visible_to(user, Activity.objects.all())
                ).qs.select_related("location_city"),
            ),
            (
                "Networks",
                "programmes:network_list",
                NetworkFilterSet(data, queryset=Network.objects.all()).qs,
            ),
        ]
        for label, url_name, queryset in sources:
            groups.append(
                {
                    "label": label,
                    "slug": label.lower(),
                    "count": queryset.count(),
                    "results": list(queryset[:SEARCH_SIZE]),
                    "list_url": f"{reverse(url_name)}?{request.GET.urlencode()}",
                }
            )
    context = {
        "query": text,
        "groups": groups,
        "total": sum(group["count"] for group in groups),
    }
    return render(request, "search.html", context)
