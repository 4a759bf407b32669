"""Project-wide pages: the home dashboard and the search across every kind of record."""

import datetime

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import render
from django.urls import reverse
from django_countries import countries

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from cities.models import City
from citypairing.counting import count_together
from citypairing.visibility import visible_q, visible_to
from programmes.filtersets import NetworkFilterSet, PairingFilterSet, ProgrammeFilterSet
from programmes.models import Network, Pairing, Programme, ThematicStream
from sources.models import Citation, Source

UPCOMING_DAYS = 90


def counted(user, model, field: str):
    """Count the ``model`` records (pairings, activities) of each row that ``user`` may read.

    A correlated sub-select per figure: two Count()s over joins in one query would multiply
    each programme's pairings by its activities before counting.
    """
    rows = (
        visible_to(user, model.objects.all())
        .filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


# Recently changed records: (model, label field, URL name, URL argument field).
RECENT_KINDS = [
    (City, "name", "cities:city_detail", "slug"),
    (Network, "name", "programmes:network_detail", "slug"),
    (Programme, "name", "programmes:programme_detail", "slug"),
    (Pairing, "title", "programmes:pairing_detail", "pk"),
    (Activity, "title", "activities:activity_detail", "pk"),
]


def recently_changed(user, size: int = 10) -> list[dict]:
    """Return the records changed most recently, newest first, whatever their kind.

    One UNION ALL query: each kind's newest ``size`` rows, merged and cut to ``size``.
    """
    parts = []
    for index, (model, label_field, _, key_field) in enumerate(RECENT_KINDS):
        parts.append(
            visible_to(user, model.objects.all())
            .annotate(
                recent_kind=Value(index),
                recent_label=F(label_field),
                recent_key=Cast(key_field, output_field=CharField()),
            )
            .order_by("-modified")
            .values_list("recent_kind", "recent_label", "recent_key", "modified")[:size]
        )
    rows = parts[0].union(*parts[1:], all=True).order_by("-modified")[:size]
    recent = []
    for kind, label, key, modified in rows:
        model, _, url_name, key_field = RECENT_KINDS[kind]
        argument = {"slug": key} if key_field == "slug" else {"pk": int(key)}
        recent.append(
            {
                "kind": model._meta.verbose_name,
                "label": label,
                "url": reverse(url_name, kwargs=argument),
                "modified": modified,
            }
        )
    return recent


def visible_citations(user):
    """Return the citations whose record ``user`` may see (unpublished ones stay hidden)."""
    condition = Q()
    for model in (Programme, Pairing, Activity, ThematicStream):
        if visible_q(user, model) is None:
            continue
        of_model = Q(content_type__app_label=model._meta.app_label) & Q(
            content_type__model=model._meta.model_name
        )
        condition &= ~of_model | Q(object_id__in=visible_to(user, model.objects.all()).values("pk"))
    return Citation.objects.filter(condition)


def home(request):
    """Show the registry at a glance: counts, what comes next, what changed, the sources.

    Ten queries whatever the size of the registry (tests/views/test_pages.py).
    """
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
    programmes = list(
        visible_to(user, Programme.objects.all()).annotate(
            pairing_count=counted(user, Pairing, "programme"),
            activity_count=counted(user, Activity, "programme"),
        )
    )
    totals = count_together(
        networks=Network.objects.all(),
        activities=visible_to(user, Activity.objects.all()),
    )

    context = {
        "counts": {
            "cities": sum(city_counts.values()),
            "networks": totals["networks"],
            "programmes": len(programmes),
            "pairings": sum(status_counts.values()),
            "activities": totals["activities"],
        },
        "programmes": programmes,
        "streams": (
            visible_to(user, ThematicStream.objects.all())
            .select_related("programme")
            .annotate(pairing_count=counted(user, Pairing, "stream"))
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
        "quotes": visible_citations(user)
        .select_related("source", "content_type")
        .order_by("-modified", "-id")[:5],
    }
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
