"""The raw peer: the API's JSON for five requests, each built by one SQL statement.

A WSGI app with no framework (``gunicorn bench.peer:application``), reading the benchmark
database with psycopg2. PostgreSQL builds each response's whole JSON text, envelope
included; Python only routes the request and writes the bytes. It answers, for an
anonymous reader (published records only), exactly what the app answers:

- ``/api/v1/pairings/?page_size=N`` and ``…&modified_since=<ISO datetime>`` (the delta
  pull): the first page in the pairings' default order, with ``count``;
- ``/api/v1/pairings/<id>/``: one pairing;
- ``/api/v1/activities/?month=YYYY-MM``: the first page of a month's activities;
- ``/api/v1/pairings/?pagination=cursor&page_size=N[&cursor=…]``: a keyset page by id.

Nothing else (no other filters, page numbers, writes): it is the lower bound the
benchmark compares the app with (``bench/versus.py``), not a second implementation.
``tests/bench/test_peer.py`` checks that each answer equals the app's.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import os
import re
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg2

EXACT_BELOW = 1_000  # as core.counting: shorter lists are counted exactly
# The database's functions it calls are the registry's own, made by its migrations:
# registry_planner_rows (the planner's estimate, core 0001), activity_earliest_start.
API = "/api/v1"
FLOOR = orjson.dumps({"id": 1, "title": "floor"})  # as bench/app_wsgi.py's floor view


# The text of dates and instants, written out in each statement: as SQL functions they
# were called row by row (an IMMUTABLE function around the STABLE to_char is not inlined),
# a third of a cursor page's time. ``%%``: the statements carry parameters.
def datetime_text(value: str) -> str:
    return (
        f"(to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"extract(microseconds FROM {value})::bigint %% 1000000 = 0 THEN '' "
        f"ELSE to_char({value} AT TIME ZONE 'UTC', '.US') END || 'Z')"
    )


def date_text(value: str, prec: str) -> str:
    return (
        f"CASE {prec} WHEN 'year' THEN to_char({value}, 'YYYY') "
        f"WHEN 'month' THEN to_char({value}, 'Mon YYYY') ELSE to_char({value}, 'FMDD Mon YYYY') END"
    )


def period_text(first: str, last: str, prec: str) -> str:
    return f"""CASE
        WHEN {first} IS NULL THEN ''
        WHEN {last} IS NULL OR {last} = {first} THEN {date_text(first, prec)}
        WHEN {prec} = 'year' THEN
            CASE WHEN extract(year FROM {first}) = extract(year FROM {last})
                 THEN to_char({first}, 'YYYY')
                 ELSE to_char({first}, 'YYYY') || '–' || to_char({last}, 'YYYY') END
        WHEN {prec} = 'month' THEN
            CASE WHEN date_trunc('month', {first}) = date_trunc('month', {last})
                     THEN {date_text(first, prec)}
                 WHEN extract(year FROM {first}) = extract(year FROM {last})
                     THEN to_char({first}, 'Mon') || '–' || to_char({last}, 'Mon YYYY')
                 ELSE {date_text(first, prec)} || ' – ' || {date_text(last, prec)} END
        WHEN date_trunc('month', {first}) = date_trunc('month', {last})
            THEN to_char({first}, 'FMDD') || '–' || to_char({last}, 'FMDD Mon YYYY')
        WHEN extract(year FROM {first}) = extract(year FROM {last})
            THEN to_char({first}, 'FMDD Mon') || ' – ' || to_char({last}, 'FMDD Mon YYYY')
        ELSE {date_text(first, prec)} || ' – ' || {date_text(last, prec)} END"""


def city(c: str) -> str:
    return (
        f"json_build_object('id', {c}.id, 'name', {c}.name, 'slug', {c}.slug, "
        f"'country', {c}.country, 'latitude', {c}.latitude, 'longitude', {c}.longitude)"
    )


def ref(alias: str, *fields: str) -> str:
    pairs = ", ".join(f"'{name}', {alias}.{name}" for name in fields)
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object({pairs}) END"


def citations(alias: str, model: str) -> str:
    return f"""(SELECT coalesce(json_agg(json_build_object(
            'source', json_build_object('id', s.id, 'slug', s.slug, 'title', s.title),
            'quote', ci.quote, 'locator', ci.locator) ORDER BY ci.id), '[]')
        FROM sources_citation ci JOIN sources_source s ON s.id = ci.source_id
        WHERE ci.content_type_id = (SELECT id FROM django_content_type
                                    WHERE app_label || '.' || model = '{model}')
          AND ci.object_id = {alias}.id)"""


def themes(alias: str, table: str, column: str) -> str:
    return f"""(SELECT coalesce(json_agg(t.slug ORDER BY t.name, t.id), '[]')
        FROM {table} x JOIN themes_theme t ON t.id = x.theme_id WHERE x.{column} = {alias}.id)"""


def pairing_json(origin: str) -> str:
    """Return the expression of one pairing ``p`` (programme ``pr``, stream ``st``)."""
    return f"""json_build_object(
    'id', p.id, 'url', '{origin}{API}/pairings/' || p.id || '/',
    'web_url', '{origin}/pairings/' || p.id || '/',
    'title', p.title, 'kind', p.kind, 'status', p.status,
    'programme', {ref("pr", "id", "slug", "name")},
    'stream', {ref("st", "id", "slug", "name")},
    'participants', (SELECT coalesce(json_agg(json_build_object(
            'city', {city("c")}, 'role', pp.role, 'note', pp.note)
            ORDER BY pp.role, c.name), '[]')
        FROM programmes_pairingparticipant pp JOIN cities_city c ON c.id = pp.city_id
        WHERE pp.pairing_id = p.id),
    'start_date', p.start_date, 'end_date', p.end_date, 'date_precision', p.date_precision,
    'period', {period_text("p.start_date", "p.end_date", "p.date_precision")},
    'description', p.description, 'is_published', p.is_published,
    'is_verified', p.is_verified,
    'status_changes', (SELECT coalesce(json_agg(json_build_object('status', sc.status,
            'changed_on', sc.changed_on, 'date_precision', sc.date_precision, 'note', sc.note)
            ORDER BY sc.changed_on, sc.id), '[]')
        FROM programmes_pairingstatuschange sc WHERE sc.pairing_id = p.id),
    'citations', {citations("p", "programmes.pairing")},
    'themes', {themes("p", "programmes_pairing_themes", "pairing_id")},
    'created', {datetime_text("p.created")}, 'modified', {datetime_text("p.modified")})"""


def activity_json(origin: str) -> str:
    return f"""json_build_object(
    'id', a.id, 'url', '{origin}{API}/activities/' || a.id || '/',
    'web_url', '{origin}/activities/' || a.id || '/',
    'title', a.title, 'kind', a.kind, 'status', a.status,
    'start_date', a.start_date, 'end_date', a.end_date, 'date_precision', a.date_precision,
    'period', {period_text("a.start_date", "a.end_date", "a.date_precision")},
    'programme', {ref("pr", "id", "slug", "name")},
    'stream', {ref("st", "id", "slug", "name")},
    'pairing', {ref("pa", "id", "title")},
    'location_city', {ref("lc", "id", "name", "slug", "country", "latitude", "longitude")},
    'location', a.location,
    'cities', (SELECT coalesce(json_agg({city("c")} ORDER BY c.name, c.country, c.id), '[]')
        FROM activities_activity_cities ac JOIN cities_city c ON c.id = ac.city_id
        WHERE ac.activity_id = a.id),
    'organisers', (SELECT coalesce(json_agg(json_build_object('id', n.id, 'slug', n.slug,
            'name', n.name, 'acronym', n.acronym) ORDER BY n.name, n.id), '[]')
        FROM activities_activity_organisers ao
        JOIN programmes_network n ON n.id = ao.network_id WHERE ao.activity_id = a.id),
    'description', a.description, 'outcomes', a.outcomes,
    'cost_estimate', a.cost_estimate, 'cost_currency', a.cost_currency,
    'is_published', a.is_published,
    'citations', {citations("a", "activities.activity")},
    'themes', {themes("a", "activities_activity_themes", "activity_id")},
    'created', {datetime_text("a.created")}, 'modified', {datetime_text("a.modified")})"""


PAIRINGS = """programmes_pairing p JOIN programmes_programme pr ON pr.id = p.programme_id
    LEFT JOIN programmes_thematicstream st ON st.id = p.stream_id"""
PAIRINGS_SEEN = "p.is_published AND pr.is_published"
PAIRING_ORDER = 'pr.name, p.programme_id, st.programme_id, st."order", st.name, p.title, p.id'
ACTIVITIES = """activities_activity a
    LEFT JOIN programmes_programme pr ON pr.id = a.programme_id
    LEFT JOIN programmes_thematicstream st ON st.id = a.stream_id
    LEFT JOIN programmes_pairing pa ON pa.id = a.pairing_id
    LEFT JOIN cities_city lc ON lc.id = a.location_city_id"""
# Visible only with everything it belongs to (programmes.querysets.VisibilityQuerySet).
ACTIVITIES_SEEN = """a.is_published AND coalesce(pr.is_published, true)
    AND (st.id IS NULL OR EXISTS (SELECT FROM programmes_programme sp
                                  WHERE sp.id = st.programme_id AND sp.is_published))
    AND (pa.id IS NULL OR pa.is_published AND EXISTS (
            SELECT FROM programmes_programme pp WHERE pp.id = pa.programme_id
            AND pp.is_published))"""
ACTIVITY_ORDER = "a.start_date, a.end_date, a.title, a.id"


def counted_page(item: str, alias: str, source: str, where: str, order: str, size: int) -> str:
    """Return the statement of a first page with ``count``, ``count_exact`` and links.

    The count is core.counting's ``PlannerFirstPaginator``: the plan's estimate first; a
    list estimated shorter than EXACT_BELOW rows is counted (exact if it has fewer); a
    first page that is not full makes the count its rows.
    """
    return f"""WITH ids AS (
        SELECT {alias}.id AS id_, row_number() OVER (ORDER BY {order}) AS n_
        FROM {source} WHERE {where} ORDER BY {order} LIMIT {size + 1}),
    page AS (SELECT {item} AS item, n_ FROM ids JOIN {source} ON {alias}.id = ids.id_),
    estimated AS (SELECT registry_planner_rows(%(count_sql)s) AS e),
    counted AS (
        SELECT e, CASE WHEN e < {EXACT_BELOW} THEN (
                SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where}
                                      LIMIT {EXACT_BELOW}) c_) END AS n,
               (SELECT count(*) FROM ids) AS m
        FROM estimated)
    SELECT json_build_object(
        'count', CASE WHEN n < {EXACT_BELOW} THEN n WHEN m BETWEEN 1 AND {size} THEN m
                      ELSE greatest({EXACT_BELOW}, e) END,
        'count_exact', coalesce(n < {EXACT_BELOW}, false) OR m BETWEEN 1 AND {size},
        'next', CASE WHEN m > {size} THEN %(next)s END,
        'previous', NULL,
        'results', (SELECT coalesce(json_agg(item ORDER BY n_), '[]') FROM page
                    WHERE n_ <= {size}))::text
    FROM counted"""


STATEMENT_NAMES = itertools.count(1)  # unique in the process, whatever the connection


def as_text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Peer:
    def __init__(self, dsn: str):
        self.dsn = dsn
        self.connection = None
        # Statement text with its non-integer values written in -> the name it is
        # prepared under on this connection (False: PostgreSQL would not prepare it).
        self.statements: dict = {}

    def cursor(self):
        if self.connection is None or self.connection.closed:
            self.connection = psycopg2.connect(self.dsn)
            self.connection.autocommit = True
            self.statements = {}
        return self.connection.cursor()

    def one(self, sql: str, params: dict) -> bytes | None:
        """Run ``sql`` as the app runs a statement it has seen before: prepared on the
        connection, integers as its parameters, other values written in (as
        ``core.statements`` does), so each side is spared PostgreSQL's planning alike."""
        with self.cursor() as cursor:
            integers = [name for name in params if type(params[name]) is int]
            literals = {
                name: as_text(cursor.mogrify("%s", [value]))
                for name, value in params.items()
                if name not in integers
            }
            text = re.sub(
                r"%\((\w+)\)s",
                lambda m: (
                    f"${integers.index(m[1]) + 1}"
                    if m[1] in integers
                    else literals[m[1]].replace("%", "%%")
                ),
                sql,
            ).replace("%%", "%")
            name = self.statements.get(text)
            if name is None:
                name = f"peer_{next(STATEMENT_NAMES)}"
                types = f"({', '.join('bigint' for _ in integers)})" if integers else ""
                try:
                    cursor.execute(f"PREPARE {name}{types} AS {text}")
                except psycopg2.Error:
                    name = False  # autocommit: nothing to roll back
                self.statements[text] = name
            if name:
                arguments = f"({', '.join(str(params[n]) for n in integers)})" if integers else ""
                cursor.execute(f"EXECUTE {name}{arguments}")
            else:
                cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None or row[0] is None else row[0].encode()

    def answer(self, path: str, query: dict, origin: str) -> bytes | None:
        """Return the JSON body for ``path`` and ``query``, or None (404)."""
        if path == "/api/bench/floor/":
            return FLOOR
        size = int(query.get("page_size", 50))
        if m := re.fullmatch(rf"{API}/pairings/(\d+)/", path):
            sql = f"SELECT {pairing_json(origin)}::text FROM {PAIRINGS} WHERE {PAIRINGS_SEEN}"
            sql += " AND p.id = %(id)s"
            return self.one(sql, {"id": int(m[1])})
        if path == f"{API}/pairings/" and query.get("pagination") == "cursor":
            after = 0
            if "cursor" in query:
                after = int(parse_qs(base64.b64decode(query["cursor"]).decode())["p"][0])
            # DRF puts the cursor among the other parameters, sorted by name, URL-quoted.
            link = urlencode(sorted({**query, "cursor": "CURSOR"}.items()))
            head, tail = link.split("CURSOR", 1)
            head = f"{origin}{API}/pairings/?{head}"
            token = "replace(replace(replace(encode(convert_to({}, 'UTF8'), 'base64'), "
            token += "'=', '%%3D'), '+', '%%2B'), '/', '%%2F')"
            sql = f"""WITH page AS (
                    SELECT {pairing_json(origin)} AS item, p.id,
                           row_number() OVER (ORDER BY p.id) AS n
                    FROM (SELECT p.* FROM programmes_pairing p
                          JOIN programmes_programme pr ON pr.id = p.programme_id
                          WHERE p.is_published AND pr.is_published AND p.id > %(after)s
                          ORDER BY p.id LIMIT {size + 1}) p
                    JOIN programmes_programme pr ON pr.id = p.programme_id
                    LEFT JOIN programmes_thematicstream st ON st.id = p.stream_id)
                SELECT json_build_object(
                    'next', CASE WHEN (SELECT count(*) FROM page) > {size} THEN %(head)s
                        || {token.format(f"'p=' || (SELECT id FROM page WHERE n = {size})")}
                        || %(tail)s END,
                    'previous', CASE WHEN %(after)s > 0 THEN %(head)s
                        || {token.format("'r=1&p=' || (SELECT id FROM page WHERE n = 1)")}
                        || %(tail)s END,
                    'results', (SELECT coalesce(json_agg(item ORDER BY n), '[]') FROM page
                                WHERE n <= {size}))::text"""
            return self.one(sql, {"after": after, "head": head, "tail": tail})
        if path == f"{API}/pairings/":
            where, params = PAIRINGS_SEEN, {}
            if "modified_since" in query:
                where += " AND p.modified >= %(since)s"
                params = {"since": query["modified_since"]}
            sql = counted_page(pairing_json(origin), "p", PAIRINGS, where, PAIRING_ORDER, size)
            next_link = f"{origin}{API}/pairings/?" + urlencode(
                sorted({**query, "page": 2}.items())
            )
            return self.one(
                sql,
                {
                    **params,
                    "next": next_link,
                    "count_sql": self.count_sql(
                        f"SELECT p.id FROM {PAIRINGS} WHERE {where}", params
                    ),
                },
            )
        if path == f"{API}/activities/" and "month" in query:
            first = datetime.date.fromisoformat(query["month"] + "-01")
            following = (first + datetime.timedelta(days=32)).replace(day=1)
            # Bounded below by the longest activity, as ActivityQuerySet.overlapping is (the
            # function the planner evaluates for its estimate: activities migration 0011).
            where = f"""{ACTIVITIES_SEEN} AND a.start_date <= %(last)s AND a.end_date >= %(first)s
                AND a.start_date >= activity_earliest_start(%(first)s)"""
            params = {"first": first, "last": following - datetime.timedelta(days=1)}
            sql = counted_page(activity_json(origin), "a", ACTIVITIES, where, ACTIVITY_ORDER, size)
            next_link = f"{origin}{API}/activities/?" + urlencode(
                sorted({**query, "page": 2}.items())
            )
            return self.one(
                sql,
                {
                    **params,
                    "next": next_link,
                    "count_sql": self.count_sql(
                        f"SELECT a.id FROM {ACTIVITIES} WHERE {where}", params
                    ),
                },
            )
        return None

    def count_sql(self, sql: str, params: dict) -> str:
        """Return ``sql`` with its parameters bound, for EXPLAIN inside the statement."""
        with self.cursor() as cursor:
            bound = cursor.mogrify(sql, params)
        return bound.decode() if isinstance(bound, bytes) else bound


PEER = Peer(os.environ.get("BENCH_PEER_DSN", ""))


def application(environ, start_response):
    """Answer one request (WSGI)."""
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    origin = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
    try:
        body = PEER.answer(environ.get("PATH_INFO", "/"), query, origin)
    except (ValueError, KeyError) as error:
        body, status = orjson.dumps({"detail": str(error)}), "400 Bad Request"
    else:
        status = "200 OK" if body is not None else "404 Not Found"
        body = body if body is not None else orjson.dumps({"detail": "Not found."})
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
