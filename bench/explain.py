"""Check every filter the API offers with EXPLAIN ANALYZE on the benchmark data.

For each list resource and each of its filters, a sample value is chosen from the data
and the API's query is built the way the API builds it (the resource's queryset, what
anonymous readers may see, the shared filterset, the ordering ending in ``id``). Two
plans are read: the page (the first 50 rows) and the whole filtered set (what a count
has to visit). A sequential scan of a table of 100,000+ rows is flagged: that filter
has no index it can use.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from activities.api.views import ActivityViewSet
from cities.api.views import CityViewSet
from core.visibility import visible_to
from programmes.api.views import MembershipViewSet, PairingViewSet

RESOURCES = {
    "cities": CityViewSet,
    "memberships": MembershipViewSet,
    "pairings": PairingViewSet,
    "activities": ActivityViewSet,
}
BIG_TABLE = 100_000
SKIPPED = {"ordering"}


def big_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s "
            "AND relnamespace = 'public'::regnamespace",
            [BIG_TABLE],
        )
        return {row[0] for row in cursor.fetchall()}


def sample_value(name: str, filter_, search_text: str, since: datetime.datetime):
    """Return a typical value for one filter, or None to skip it."""
    if name in SKIPPED:
        return None
    if name == "q":
        return search_text
    if name == "country":
        return "TH"
    if name == "month":
        return "2026-03"
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        # The choices an anonymous request is offered (a callable of the request).
        queryset = filter_.get_queryset(None).order_by("pk")
        total = queryset.count()
        record = queryset[total // 2] if total else None
        if record is None:
            return None
        return getattr(record, filter_.extra.get("to_field_name") or "pk")
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        choices = filter_.extra.get("choices")
        choices = choices() if callable(choices) else choices
        return list(choices)[min(2, len(choices) - 1)][0]
    if isinstance(filter_, django_filters.IsoDateTimeFilter):
        return since.isoformat()
    if isinstance(filter_, django_filters.DateFilter):
        return "2026-03-01"
    if isinstance(filter_, django_filters.BooleanFilter):
        return "false"
    if isinstance(filter_, django_filters.CharFilter):
        return "Pacific"
    return None


def plan(queryset) -> tuple[float, list[str], str]:
    """Return the execution time (ms), the big tables scanned sequentially, and the plan."""
    text = queryset.explain(analyze=True)
    match = re.search(r"Execution Time: ([\d.]+) ms", text)
    scanned = re.findall(r"Seq Scan on (\w+)", text)
    return float(match.group(1)) if match else 0.0, scanned, text


def check_filters(search_text: str) -> list[dict]:
    """EXPLAIN ANALYZE each filter of each list resource; return one row per filter."""
    big = big_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(modified) FROM programmes_pairing")
        since = cursor.fetchone()[0] - datetime.timedelta(days=7)
    rows = []
    for resource, viewset_class in RESOURCES.items():
        filterset_class = viewset_class.filterset_class
        model = filterset_class._meta.model
        for name, filter_ in filterset_class.base_filters.items():
            value = sample_value(name, filter_, search_text, since)
            if value is None:
                continue
            base = visible_to(AnonymousUser(), viewset_class.queryset.all())
            data = QueryDict(mutable=True)
            data.setlist(name, [str(value)])
            filterset = filterset_class(data, queryset=base)
            if not filterset.is_valid():
                rows.append(
                    {"resource": resource, "filter": name, "value": str(value), "invalid": True}
                )
                continue
            queryset = filterset.qs
            ordering = list(queryset.query.order_by) or list(model._meta.ordering)
            if not ordering or str(ordering[-1]).lstrip("-") not in {"id", "pk"}:
                queryset = queryset.order_by(*ordering, "id")
            page_ms, page_scans, page_plan = plan(queryset[:50])
            all_ms, _, _ = plan(queryset.order_by())
            flagged = sorted({table for table in page_scans if table in big})
            rows.append(
                {
                    "resource": resource,
                    "filter": name,
                    "value": str(value),
                    "page_ms": round(page_ms, 1),
                    "all_rows_ms": round(all_ms, 1),
                    "seq_scans_of_big_tables": flagged,
                    "page_plan": page_plan if flagged or page_ms > 50 else "",
                }
            )
    return rows
