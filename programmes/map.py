"""The map page's own data: the filtered pairings and cities in a compact JSON that
``static/js/map.js`` expands, built by PostgreSQL and kept until the next change.

The public GeoJSON downloads (``/map/pairings.geojson``, ``/map/cities.geojson``) stay as
they are; a whole programme as GeoJSON is 13 MB built feature by feature in Python, which
kept the map waiting for seconds. Here PostgreSQL writes the JSON text itself (two
queries), the answer is gzipped once and kept in Django's cache under the
records' version (``core.views.choices.cached_answer``) and what decides the reader's
visibility (``programmes.rules.visibility_key``), so an officer's map is never served to
anyone who may see less.

The answer::

    {"pairings": [[id, status, programme id, title, [[city id, lon, lat], ...]], ...],
     "cities": [[id, name, slug, country, lon, lat, local name, its language], ...],
     "programmes": {"<id>": name, ...},
     "statuses": {status: label, ...},
     "links": {"pairing": "/pairings/{}/", "city": "/cities/{}/"}}

A pairing's first point is its hub (pilot, mentor or chair city, else the first by role
and name), as in the GeoJSON; points without coordinates are left out. The cities are
the markers: those matching the city filters, and when the map is filtered, only those
taking part in the pairings shown.
"""

from __future__ import annotations

import gzip
import hashlib

import orjson
from django.conf import settings
from django.db import connection
from django.urls import reverse

from cities.filtersets import CityFilterSet
from cities.models import City, CityAlternativeName
from core.views.choices import cached_answer
from core.visibility import visible_to
from programmes.api.views import HUB_ROLES
from programmes.choices import PairingStatus
from programmes.filtersets import PairingFilterSet
from programmes.models import Pairing, PairingParticipant, Programme
from programmes.rules import visibility_key

# Stands for a record's id or slug in the page links the script fills in.
PLACEHOLDER = "0000000000"


class MapDataError(ValueError):
    """The filters are not valid; ``errors`` says which and why."""

    def __init__(self, errors: dict):
        super().__init__("The map's filters are not valid.")
        self.errors = errors


def filter_key(query) -> str:
    """Return a short, order-free digest of the filters in ``query``."""
    pairs = sorted((key, value) for key in query for value in query.getlist(key))
    return hashlib.sha256(orjson.dumps(pairs)).hexdigest()[:32]


def map_data_gzip(request, pairing_query, city_query, *, only_paired: bool) -> bytes:
    """Return the map's data for the request's reader and filters, gzipped; kept until
    the records change (``MapDataError`` if a filter is not valid)."""
    key = ":".join(
        (
            "map",
            visibility_key(request.user),
            filter_key(pairing_query),
            filter_key(city_query),
            str(only_paired),
        )
    )
    pairings = filtered(PairingFilterSet, pairing_query, Pairing.objects.all(), request)
    cities = filtered(CityFilterSet, city_query, City.objects.all(), request)
    return cached_answer(
        key, lambda: gzip.compress(map_data(pairings, cities, only_paired=only_paired), 1)
    )


def filtered(filterset_class, query, queryset, request):
    """Return what ``request``'s reader may see of ``queryset``, filtered by ``query``."""
    filterset = filterset_class(query, queryset=visible_to(request.user, queryset), request=request)
    if not filterset.is_valid():
        raise MapDataError(filterset.errors.get_json_data())
    return filterset.qs.order_by()


def map_data(pairings, cities, *, only_paired: bool) -> bytes:
    """Return the map's data (the module's docstring) for the filtered querysets."""
    lines, count = pairing_lines(pairings)
    if count > settings.MAP_MAX_ROWS:
        raise MapDataError(
            {
                "__all__": [
                    {
                        "message": f"More than {settings.MAP_MAX_ROWS:,} pairings match: "
                        "narrow the filters.",
                        "code": "too_many",
                    }
                ]
            }
        )
    markers = cities.filter(latitude__isnull=False, longitude__isnull=False)
    if only_paired:
        markers = markers.filter(
            pk__in=PairingParticipant.objects.filter(pairing__in=pairings.values("pk")).values(
                "city_id"
            )
        )
    markers = marker_rows(markers)
    programmes = Programme.objects.filter(pk__in=pairings.values("programme_id")).values_list(
        "pk", "name"
    )
    return orjson.dumps(
        {
            "pairings": orjson.Fragment(lines),
            "cities": orjson.Fragment(markers),
            "programmes": {str(pk): name for pk, name in programmes},
            "statuses": dict(PairingStatus.choices),
            "links": {
                "pairing": reverse("programmes:pairing_detail", args=[PLACEHOLDER]).replace(
                    PLACEHOLDER, "{}"
                ),
                "city": reverse("cities:city_detail", args=[PLACEHOLDER]).replace(
                    PLACEHOLDER, "{}"
                ),
            },
        }
    )


# Both queries write the JSON text in PostgreSQL, from the ORM's filtered querysets: built
# row by row in Python, a whole programme took 1.9 s; through the ORM's JSONArray and a
# subquery per pairing, 0.65 s; here about 0.15 s. Coordinates are trimmed decimals (a
# float8 cast costs twice the time; the text is the same), and names sort by code point
# (COLLATE "C", as Python sorts the GeoJSON's points; the database's collation costs more
# than everything else together).


def pairing_lines(pairings) -> tuple[str, int]:
    """Return the JSON text of the ``pairings``' rows and how many there are."""
    chosen, params = pairings.values(
        "id", "status", "programme_id", "title"
    ).query.sql_with_params()
    sql = f"""
        WITH chosen AS MATERIALIZED ({chosen}),
        points AS (
            SELECT part.pairing_id,
                json_agg(
                    json_build_array(
                        city.id, trim_scale(city.longitude), trim_scale(city.latitude)
                    )
                    ORDER BY part.role = ANY(%s) DESC, part.role, city.name COLLATE "C", city.id
                ) AS points
            FROM {PairingParticipant._meta.db_table} part
                JOIN {City._meta.db_table} city ON city.id = part.city_id
            WHERE part.pairing_id IN (SELECT id FROM chosen)
                AND city.latitude IS NOT NULL AND city.longitude IS NOT NULL
            GROUP BY part.pairing_id
        )
        SELECT COALESCE(json_agg(json_build_array(
                chosen.id, chosen.status, chosen.programme_id, chosen.title,
                COALESCE(points.points, '[]')
            )), '[]')::text,
            count(*)
        FROM chosen LEFT JOIN points ON points.pairing_id = chosen.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, list(HUB_ROLES)))
        return cursor.fetchone()


def marker_rows(cities) -> str:
    """Return the JSON text of the ``cities``' rows, each with its local name if any."""
    chosen, params = cities.values("id").query.sql_with_params()
    sql = f"""
        SELECT COALESCE(json_agg(json_build_array(
                city.id, city.name, city.slug, city.country,
                trim_scale(city.longitude), trim_scale(city.latitude),
                local.name, local.language
            )), '[]')::text
        FROM {City._meta.db_table} city
            LEFT JOIN LATERAL (
                SELECT name, language FROM {CityAlternativeName._meta.db_table}
                WHERE city_id = city.id AND is_local LIMIT 1
            ) local ON true
        WHERE city.id IN ({chosen})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
