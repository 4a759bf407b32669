"""Project-wide pages: the home dashboard and the search across every kind of record."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Cast
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from cities.models import City
from contacts.models import Person
from contacts.querysets import may_see_contacts
from core.counting import fast_count_together, prepared_select
from core.views.choices import kept_for_anonymous
from core.visibility import visible_to
from programmes.filtersets import NetworkFilterSet, PairingFilterSet, ProgrammeFilterSet
from programmes.models import Network, Pairing, Programme, ThematicStream
from sources.models import Citation, Source
from themes.filtersets import or_on_themes, themes_named
from themes.models import Theme

UPCOMING_DAYS = 90


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


DASHBOARD_ROWS = 10  # programmes and streams the dashboard lists
RECENT_PAIRINGS = 500  # recently changed pairings that pick those programmes and streams
DASHBOARD_EXACT_BELOW = 1_000  # figures estimated above this are shown as "about N"
COUNTRIES_CACHE_SECONDS = 600


def ranked(queryset, ids: list[int], size: int):
    """Return ``size`` records of ``queryset``: those in ``ids`` in that order, then others
    by most recently changed."""
    ids = ids[:size]
    if not ids:
        return list(queryset.order_by("-modified")[:size])
    rank = Case(
        *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)),
        default=Value(len(ids)),
    )
    return list(queryset.order_by(rank, "-modified")[:size])


def recently_active(user) -> tuple[list, list]:
    """Return the programmes and the thematic streams whose pairings changed last.

    The newest ``RECENT_PAIRINGS`` pairing changes (the ``modified`` index, read
    backwards) name them; ranking every programme by its pairings would count them all.
    Programmes or streams without recent changes fill up the list.
    """
    recent = visible_to(user, Pairing.objects.all()).order_by("-modified")
    pairs = list(recent.values_list("programme_id", "stream_id")[:RECENT_PAIRINGS])
    programme_ids = list(dict.fromkeys(programme for programme, _ in pairs))
    stream_ids = list(dict.fromkeys(stream for _, stream in pairs if stream))
    programmes = ranked(visible_to(user, Programme.objects.all()), programme_ids, DASHBOARD_ROWS)
    streams = ranked(
        visible_to(user, ThematicStream.objects.select_related("programme")),
        stream_ids,
        DASHBOARD_ROWS,
    )
    return programmes, streams


def _pairings(user):
    return visible_to(user, Pairing.objects.all())


def _activities(user):
    return visible_to(user, Activity.objects.all())


# What the dashboard counts: name → the queryset of ``user`` (and of an id, for a row's
# figure). Statuses are a fixed list, so each is a figure of its own.
DASHBOARD_FIGURES = {
    "cities": lambda user, _: City.objects.all(),
    "networks": lambda user, _: Network.objects.all(),
    "programmes": lambda user, _: visible_to(user, Programme.objects.all()),
    "pairings": lambda user, _: _pairings(user),
    "activities": lambda user, _: _activities(user),
    **{
        f"status_{value}": (lambda user, _, value=value: _pairings(user).filter(status=value))
        for value, _ in Pairing._meta.get_field("status").choices
    },
    "programme_pairings": lambda user, pk: _pairings(user).filter(programme=pk),
    "programme_activities": lambda user, pk: _activities(user).filter(programme=pk),
    "stream_pairings": lambda user, pk: _pairings(user).filter(stream=pk),
    "source_quotes": lambda user, pk: Citation.objects.filter(source=pk),
}


def figure_select(user):
    """Return ``figure(name, pk=None)``: the sub-select counting the dashboard's ``name``.

    Anonymous readers all see the same records, so their sub-selects are compiled once per
    process (``prepared_select``: a sixth of the page was building and compiling them) and
    only the row's id changes. A signed-in reader's rule depends on what they manage and
    may view, which a write can change at any time: theirs are built for them each time.
    """
    if user.is_authenticated:
        return lambda name, pk=None: DASHBOARD_FIGURES[name](user, pk)
    anonymous = AnonymousUser()
    return lambda name, pk=None: prepared_select(
        ("dashboard", name),
        lambda value: DASHBOARD_FIGURES[name](anonymous, value),
        pk,
    )


def busiest_countries(size: int = 12) -> dict:
    """Return the countries with the most published pairings (and their number of cities),
    and when they were counted.

    Counting pairings by country joins every participant to its city (about a second at
    200,000 pairings), so the ranking is kept for ``COUNTRIES_CACHE_SECONDS``; the page
    says so.
    """

    def count():
        published = Pairing.objects.published()
        rows = (
            City.objects.exclude(country="")
            .values("country")
            .annotate(
                cities=Count("pk", distinct=True),
                pairings=Count(
                    "pairing_participations__pairing",
                    distinct=True,
                    filter=Q(pairing_participations__pairing__in=published.values("pk")),
                ),
            )
            .filter(pairings__gt=0)
            .order_by("-pairings", "country")[:size]
        )
        return {"rows": list(rows), "counted_at": timezone.now()}

    return cache.get_or_set("dashboard:countries", count, COUNTRIES_CACHE_SECONDS)


def dashboard(user, today: datetime.date) -> dict:
    """Return what the dashboard shows ``user`` on ``today``: its figures and its lists, read.

    At most ten queries and no full count, whatever the size of the registry: totals
    and the counts of the listed rows are one EXPLAIN (plus an exact count of the short
    ones), lists are bounded (tests/citypairing/test_views.py).
    """
    programmes, streams = recently_active(user)
    sources = list(Source.objects.order_by("-modified")[:8])
    statuses = Pairing._meta.get_field("status").choices
    figure = figure_select(user)
    to_count = {
        "cities": figure("cities"),
        "networks": figure("networks"),
        "programmes": figure("programmes"),
        "pairings": figure("pairings"),
        "activities": figure("activities"),
        **{f"status_{value}": figure(f"status_{value}") for value, _ in statuses},
        **{f"programme_{p.pk}_pairings": figure("programme_pairings", p.pk) for p in programmes},
        **{
            f"programme_{p.pk}_activities": figure("programme_activities", p.pk) for p in programmes
        },
        **{f"stream_{s.pk}_pairings": figure("stream_pairings", s.pk) for s in streams},
        **{f"source_{s.pk}_quotes": figure("source_quotes", s.pk) for s in sources},
    }
    counts = fast_count_together(DASHBOARD_EXACT_BELOW, **to_count)
    for programme in programmes:
        programme.pairing_figure = counts[f"programme_{programme.pk}_pairings"]
        programme.activity_figure = counts[f"programme_{programme.pk}_activities"]
    for stream in streams:
        stream.pairing_figure = counts[f"stream_{stream.pk}_pairings"]
    for source in sources:
        source.quote_figure = counts[f"source_{source.pk}_quotes"]
    return {
        "totals": [
            (label, url_name, counts[label])
            for label, url_name in (
                ("cities", "cities:city_list"),
                ("networks", "programmes:network_list"),
                ("programmes", "programmes:programme_list"),
                ("pairings", "programmes:pairing_list"),
                ("activities", "activities:activity_list"),
            )
        ],
        "programmes": programmes,
        "streams": streams,
        "statuses": [(value, label, counts[f"status_{value}"]) for value, label in statuses],
        # Starting soon, not "still running": a range of the date index, not a scan of it.
        "upcoming": list(
            visible_to(
                user,
                Activity.objects.filter(
                    start_date__range=(today, today + datetime.timedelta(days=UPCOMING_DAYS))
                ),
            )
            .select_related("location_city", "programme")
            .order_by("start_date", "title")[:12]
        ),
        "upcoming_days": UPCOMING_DAYS,
        "recent": recently_changed(user),
        "sources": sources,
        "quotes": list(
            Citation.objects.visible_to(user)
            .select_related("source", "content_type")
            .order_by("-modified", "-id")[:5]
        ),
    }


def home(request):
    """Show the registry at a glance: counts, what comes next, what changed, the sources.

    Anonymous readers all see the same dashboard: it is read once per process and day
    and kept until the records' next change (``kept_for_anonymous``, whose version every
    app whose records it shows advances on their writes); a signed-in reader's is read
    for them. Only the ranking of countries is cached for a while, and says so.
    """
    user = request.user
    today = datetime.date.today()
    context = kept_for_anonymous(
        f"dashboard:{today.isoformat()}", user, lambda: dashboard(user, today)
    )
    countries_ranked = busiest_countries()
    context = {
        **context,
        "countries": [
            {**row, "name": countries.name(row["country"])} for row in countries_ranked["rows"]
        ],
        "countries_counted_at": countries_ranked["counted_at"],
        "countries_cache_minutes": COUNTRIES_CACHE_SECONDS // 60,
    }
    return render(request, "home.html", context)


SEARCH_SIZE = 8


# Shorter text would match a theme by a letter or two ("ur" in every "urban").
MIN_THEME_SEARCH = 3


def search(request):
    """Search every kind of record at once; each group links to its full, filtered list."""
    text = request.GET.get("q", "").strip()
    user = request.user
    groups = []
    if text:
        data = {"q": text}
        themes = list(themes_named(text)) if len(text) >= MIN_THEME_SEARCH else []
        pairings = visible_to(user, Pairing.objects.all())
        activities = visible_to(user, Activity.objects.all())
        sources = [
            (
                "Cities",
                "cities:city_list",
                City.objects.search(text).prefetch_related("alternative_names"),
            ),
            (
                "Pairings",
                "programmes:pairing_list",
                or_on_themes(
                    PairingFilterSet(data, queryset=pairings).qs, pairings, themes
                ).with_participants(),
            ),
            (
                "Programmes",
                "programmes:programme_list",
                ProgrammeFilterSet(data, queryset=visible_to(user, Programme.objects.all())).qs,
            ),
            (
                "Activities",
                "activities:activity_list",
                or_on_themes(
                    ActivityFilterSet(data, queryset=activities).qs, activities, themes
                ).select_related("location_city"),
            ),
            (
                "Networks",
                "programmes:network_list",
                NetworkFilterSet(data, queryset=Network.objects.all()).qs,
            ),
            # Documents by their text (full-text search), each with its matching passage.
            (
                "Documents",
                "sources:source_list",
                Source.objects.visible_to(user).matching(text).defer("text", "search_vector"),
            ),
        ]
        if themes:
            found = Theme.objects.filter(pk__in=[theme.pk for theme in themes])
            sources.append(("Themes", "themes:theme_list", found))
        # Personal data: a group only for who may see contacts, of the people they may see.
        if may_see_contacts(user):
            people = Person.objects.visible_to(user).search(text)
            sources.append(
                (
                    "Contacts",
                    "contacts:person_list",
                    people.select_related("organisation_city", "organisation_network"),
                )
            )
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
