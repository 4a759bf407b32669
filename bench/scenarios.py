"""What the benchmark measures: each scenario's URLs, and the baseline for the same rows.

A scenario has several variants (different streams, months, misspellings, cursor
positions…), chosen from the database so that each one returns rows. Every variant
carries the URL the app answers and a baseline: one hand-written SQL query that fetches
the same rows (nested data aggregated as JSON by PostgreSQL), run through psycopg2 and
serialized with orjson. The baseline is what a perfect implementation could not beat by
much; the ratio of the app's median to the baseline's is the headline figure.

Requests are anonymous, so the app and the baselines read published records only.
"""

from __future__ import annotations

import base64
import datetime
import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

API = "/api/v1"
SEED = 7

# --- SQL pieces shared by the baselines ---------------------------------------------------


def city_ref(c: str = "c") -> str:
    """Return the JSON of a city as other records embed it (alias ``c``)."""
    return (
        f"json_build_object('id', {c}.id, 'name', {c}.name, 'slug', {c}.slug, "
        f"'country', {c}.country, 'latitude', {c}.latitude, 'longitude', {c}.longitude)"
    )


def citations(alias: str, content_type: str) -> str:
    """Return a sub-select of the citations of row ``alias`` as a JSON array."""
    return f"""(SELECT coalesce(json_agg(json_build_object(
            'source', json_build_object('id', s.id, 'slug', s.slug, 'title', s.title),
            'quote', ci.quote, 'locator', ci.locator) ORDER BY ci.id), '[]')
        FROM sources_citation ci JOIN sources_source s ON s.id = ci.source_id
        WHERE ci.content_type_id = %({content_type})s AND ci.object_id = {alias}.id)"""


def participants(c: str = "c") -> str:
    """Return a sub-select of pairing ``p``'s participants as a JSON array."""
    return f"""(SELECT json_agg(json_build_object('city', {city_ref(c)}, 'role', pp.role,
            'note', pp.note) ORDER BY pp.role, {c}.name)
        FROM programmes_pairingparticipant pp JOIN cities_city {c} ON {c}.id = pp.city_id
        WHERE pp.pairing_id = p.id)"""


PARTICIPANTS = participants()

PAIRING_COLUMNS = f"""p.id, p.title, p.kind, p.status,
    json_build_object('id', pr.id, 'slug', pr.slug, 'name', pr.name) AS programme,
    CASE WHEN st.id IS NULL THEN NULL
         ELSE json_build_object('id', st.id, 'slug', st.slug, 'name', st.name) END AS stream,
    {PARTICIPANTS} AS participants,
    p.start_date, p.end_date, p.date_precision, p.description, p.is_published, p.is_verified,
    (SELECT coalesce(json_agg(json_build_object('status', sc.status, 'changed_on',
            sc.changed_on, 'date_precision', sc.date_precision, 'note', sc.note)
            ORDER BY sc.changed_on, sc.id), '[]')
        FROM programmes_pairingstatuschange sc WHERE sc.pairing_id = p.id) AS status_changes,
    {citations("p", "pairing_type")} AS citations,
    p.created, p.modified"""

PAIRING_FROM = """programmes_pairing p
    JOIN programmes_programme pr ON pr.id = p.programme_id
    LEFT JOIN programmes_thematicstream st ON st.id = p.stream_id"""

PUBLISHED_PAIRING = "p.is_published AND pr.is_published"

ACTIVITY_COLUMNS = f"""a.id, a.title, a.kind, a.status, a.start_date, a.end_date,
    a.date_precision,
    CASE WHEN pr.id IS NULL THEN NULL
         ELSE json_build_object('id', pr.id, 'slug', pr.slug, 'name', pr.name) END AS programme,
    CASE WHEN st.id IS NULL THEN NULL
         ELSE json_build_object('id', st.id, 'slug', st.slug, 'name', st.name) END AS stream,
    CASE WHEN pa.id IS NULL THEN NULL
         ELSE json_build_object('id', pa.id, 'title', pa.title) END AS pairing,
    CASE WHEN lc.id IS NULL THEN NULL
         ELSE json_build_object('id', lc.id, 'name', lc.name, 'slug', lc.slug,
              'country', lc.country, 'latitude', lc.latitude, 'longitude', lc.longitude)
         END AS location_city,
    a.location,
    (SELECT coalesce(json_agg({city_ref()} ORDER BY c.name, c.country, c.id), '[]')
        FROM activities_activity_cities ac JOIN cities_city c ON c.id = ac.city_id
        WHERE ac.activity_id = a.id) AS cities,
    (SELECT coalesce(json_agg(json_build_object('id', n.id, 'slug', n.slug, 'name', n.name,
            'acronym', n.acronym) ORDER BY n.name), '[]')
        FROM activities_activity_organisers ao JOIN programmes_network n ON n.id = ao.network_id
        WHERE ao.activity_id = a.id) AS organisers,
    a.description, a.outcomes, a.cost_estimate, a.cost_currency, a.is_published,
    {citations("a", "activity_type")} AS citations,
    a.created, a.modified"""

ACTIVITY_FROM = """activities_activity a
    LEFT JOIN programmes_programme pr ON pr.id = a.programme_id
    LEFT JOIN programmes_thematicstream st ON st.id = a.stream_id
    LEFT JOIN programmes_pairing pa ON pa.id = a.pairing_id
    LEFT JOIN cities_city lc ON lc.id = a.location_city_id"""

CITY_COLUMNS = f"""c.id, c.name, c.slug, c.country, c.admin_area, c.kind, c.population,
    c.latitude, c.longitude, c.geonames_id, c.description,
    (SELECT coalesce(json_agg(json_build_object('name', an.name, 'kind', an.kind)
            ORDER BY an.name), '[]')
        FROM cities_cityalternativename an WHERE an.city_id = c.id) AS alternative_names,
    {citations("c", "city_type")} AS citations,
    c.created, c.modified"""


@dataclass
class Variant:
    """One request of a scenario, and the baseline query for the same rows."""

    url: str
    sql: str
    params: dict = field(default_factory=dict)
    # How a list of baseline rows becomes the response body (None: the rows as they are).
    shape: str | None = None
    # The id the response must list (a search must find its record); checked once.
    must_list: int | None = None


@dataclass
class Scenario:
    name: str
    label: str
    kind: str  # "api" or "page"
    target_p95_ms: float
    variants: list[Variant]
    note: str = ""
    # Lists whose query count must not depend on the page size (checked at 5 and 200).
    page_size_check: bool = False


class Probe:
    """Choose each scenario's parameters from the benchmark database."""

    def __init__(self, connection):
        self.connection = connection
        self.rng = random.Random(SEED)
        self.content_types = dict(
            self.rows(
                "SELECT model || '_type', id FROM django_content_type "
                "WHERE (app_label, model) IN (('programmes', 'pairing'), "
                "('activities', 'activity'), ('cities', 'city'), ('programmes', 'programme'))"
            )
        )

    def rows(self, sql: str, params=None) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def value(self, sql: str, params=None):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def sample(self, items: list, k: int) -> list:
        return self.rng.sample(items, k=min(k, len(items)))

    def params(self, **extra) -> dict:
        return {**self.content_types, **extra}

    # --- the scenarios ----------------------------------------------------------------

    def all(self) -> list[Scenario]:
        return [
            self.pairings_filtered(),
            self.activities_month(),
            self.city_search(),
            self.pairings_cursor(),
            self.modified_since(),
            self.page_pairings(),
            self.page_city(),
            self.dashboard(),
            self.map_pairings(),
            self.map_cities(),
        ]

    def pairings_filtered(self) -> Scenario:
        country = "TH"
        streams = self.rows(
            """SELECT st.id, st.slug FROM programmes_thematicstream st
               JOIN programmes_programme pr ON pr.id = st.programme_id
               WHERE pr.is_published AND EXISTS (
                   SELECT 1 FROM programmes_pairing p
                   JOIN programmes_pairingparticipant pp ON pp.pairing_id = p.id
                   JOIN cities_city c ON c.id = pp.city_id
                   WHERE p.stream_id = st.id AND p.is_published AND c.country = %s)
               ORDER BY st.id""",
            [country],
        )
        sql = f"""SELECT {PAIRING_COLUMNS} FROM {PAIRING_FROM}
            WHERE {PUBLISHED_PAIRING} AND p.stream_id = %(stream)s AND EXISTS (
                SELECT 1 FROM programmes_pairingparticipant pp
                JOIN cities_city c ON c.id = pp.city_id
                WHERE pp.pairing_id = p.id AND c.country = %(country)s)
            ORDER BY pr.name, st.programme_id, st."order", st.name, p.title, p.id LIMIT 50"""
        variants = [
            Variant(
                f"{API}/pairings/?{urlencode({'stream': slug, 'country': country})}&page_size=50",
                sql,
                self.params(stream=stream_id, country=country),
            )
            for stream_id, slug in self.sample(streams, 10)
        ]
        return Scenario(
            "api_pairings_filtered",
            "API pairings by stream and country (page of 50)",
            "api",
            50,
            variants,
            page_size_check=True,
        )

    def activities_month(self) -> Scenario:
        months = [datetime.date(2025, 4, 1)]
        while len(months) < 12:
            last = months[-1]
            months.append(
                last.replace(year=last.year + last.month // 12, month=last.month % 12 + 1)
            )
        sql = f"""SELECT {ACTIVITY_COLUMNS} FROM {ACTIVITY_FROM}
            WHERE a.is_published AND a.start_date <= %(last)s AND a.end_date >= %(first)s
            ORDER BY a.start_date, a.end_date, a.title, a.id LIMIT 50"""
        variants = []
        for first in months:
            following = first.replace(
                year=first.year + first.month // 12, month=first.month % 12 + 1
            )
            variants.append(
                Variant(
                    f"{API}/activities/?month={first:%Y-%m}",
                    sql,
                    self.params(first=first, last=following - datetime.timedelta(days=1)),
                )
            )
        return Scenario(
            "api_activities_month",
            "API activities overlapping a month (page of 50)",
            "api",
            50,
            variants,
            page_size_check=True,
        )

    def city_search(self) -> Scenario:
        candidates = self.rows(
            """SELECT id, name FROM cities_city
               WHERE country IN ('TH', 'PH', 'ID', 'VN', 'MY', 'JP', 'KR', 'IN', 'CN', 'AU')
                 AND population > 300000 AND length(name) >= 6 AND name ~ '^[A-Za-z ]+$'
               ORDER BY population DESC LIMIT 60"""
        )
        misspelt = []
        for city_id, name in candidates:
            # Drop a letter in the middle: "Surabaya" → "Surbaya", as hurried typists do.
            middle = len(name) // 2
            typo = name[:middle] + name[middle + 1 :]
            # Not a slip if it is the name of another city.
            taken = self.value(
                """SELECT EXISTS (SELECT FROM cities_city WHERE search_key = city_search_key(%s))
                   OR EXISTS (SELECT FROM cities_cityalternativename
                              WHERE search_key = city_search_key(%s))""",
                [typo, typo],
            )
            if not taken:
                misspelt.append((city_id, typo))
            if len(misspelt) == 10:
                break
        # CityQuerySet.search as one query: the cities with a name or alternative name that
        # contains the text, is one slip from it, is like it or sounds the same, or with an
        # area that contains it; best match first.
        matches = """search_key LIKE '%%' || city_search_key(%(text)s) || '%%'
                  OR search_key = ANY(city_search_key_neighbours(city_search_key(%(text)s)))
                  OR search_key %% city_search_key(%(text)s)
                  OR sound_key = city_sound_key(%(text)s)"""
        score = (
            "city_name_score({0}.search_key, {0}.sound_key, city_search_key(%(text)s), "
            "city_sound_key(%(text)s))"
        )
        sql = f"""SELECT {CITY_COLUMNS} FROM cities_city c
            WHERE c.id = ANY(
                ARRAY(SELECT id FROM cities_city WHERE {matches}
                      OR upper(immutable_unaccent(admin_area))
                         LIKE '%%' || upper(immutable_unaccent(%(text)s)) || '%%')
                || ARRAY(SELECT city_id FROM cities_cityalternativename WHERE {matches}))
            ORDER BY greatest({score.format("c")},
                    (SELECT max({score.format("an")}) FROM cities_cityalternativename an
                     WHERE an.city_id = c.id)) DESC,
                c.population DESC NULLS LAST, c.name, c.country, c.id
            LIMIT 50"""
        variants = [
            Variant(
                f"{API}/cities/?{urlencode({'q': typo})}",
                sql,
                self.params(text=typo),
                must_list=city_id,
            )
            for city_id, typo in misspelt
        ]
        return Scenario(
            "api_city_search",
            "API city search, misspelt name",
            "api",
            50,
            variants,
            note="Names with a letter dropped, each finding its city: "
            + ", ".join(typo for _, typo in misspelt[:5])
            + "…",
        )

    def pairings_cursor(self) -> Scenario:
        ids = [
            row[0]
            for row in self.rows(
                f"SELECT p.id FROM {PAIRING_FROM} WHERE {PUBLISHED_PAIRING} ORDER BY p.id"
            )
        ]
        positions = [None] + [ids[len(ids) * k // 10] for k in range(1, 10)]
        sql = f"""SELECT {PAIRING_COLUMNS} FROM {PAIRING_FROM}
            WHERE {PUBLISHED_PAIRING} AND p.id > %(after)s ORDER BY p.id LIMIT 50"""
        variants = []
        for position in positions:
            query = "pagination=cursor&page_size=50"
            if position is not None:
                query += f"&cursor={cursor_token(position)}"
            variants.append(
                Variant(f"{API}/pairings/?{query}", sql, self.params(after=position or 0))
            )
        return Scenario(
            "api_pairings_cursor",
            "API cursor pages across all pairings (50 each)",
            "api",
            50,
            variants,
            note="Pages at ten evenly spread positions of the id order; the full walk "
            "is timed separately.",
            page_size_check=True,
        )

    def modified_since(self) -> Scenario:
        latest = self.value("SELECT max(modified) FROM programmes_pairing")
        sql = f"""SELECT {PAIRING_COLUMNS} FROM {PAIRING_FROM}
            WHERE {PUBLISHED_PAIRING} AND p.modified >= %(since)s
            ORDER BY pr.name, st.programme_id, st."order", st.name, p.title, p.id LIMIT 50"""
        variants = []
        for days in (1, 3, 7, 14):
            since = latest - datetime.timedelta(days=days)
            variants.append(
                Variant(
                    f"{API}/pairings/?{urlencode({'modified_since': since.isoformat()})}",
                    sql,
                    self.params(since=since),
                )
            )
        return Scenario(
            "api_modified_since",
            "API pairings modified since 1–14 days (delta pull)",
            "api",
            50,
            variants,
            page_size_check=True,
        )

    def page_pairings(self) -> Scenario:
        programmes = self.rows(
            """SELECT pr.id, pr.slug FROM programmes_programme pr
               WHERE pr.is_published AND pr.id <> 1 AND EXISTS (SELECT 1 FROM programmes_pairing p
                   WHERE p.programme_id = pr.id AND p.status = 'active' AND p.is_published)
               ORDER BY pr.id"""
        )
        sql = f"""SELECT {PAIRING_COLUMNS} FROM {PAIRING_FROM}
            WHERE {PUBLISHED_PAIRING} AND p.programme_id = %(programme)s AND p.status = 'active'
            ORDER BY pr.name, st.programme_id, st."order", st.name, p.title, p.id LIMIT 25"""
        variants = [
            Variant(
                f"/pairings/?programme={slug}&status=active",
                sql,
                self.params(programme=programme_id),
            )
            for programme_id, slug in self.sample(programmes, 10)
        ]
        return Scenario(
            "page_pairing_list",
            "Page: pairing list, programme + status filter",
            "page",
            50,
            variants,
        )

    def page_city(self) -> Scenario:
        city_id, slug, pairings, activities = self.rows(
            """SELECT c.id, c.slug, count(*),
                   (SELECT count(*) FROM activities_activity_cities ac WHERE ac.city_id = c.id)
               FROM cities_city c JOIN programmes_pairingparticipant pp ON pp.city_id = c.id
               GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"""
        )[0]
        # The page shows the first 20 of each list with its total (cities/views.py).
        sql = f"""SELECT {CITY_COLUMNS},
            (SELECT coalesce(json_agg(row_to_json(m)), '[]') FROM (
                SELECT n.name AS network, n.slug, m.member_type, m.regional_group,
                    m.joined_on, count(*) OVER () AS total
                FROM programmes_membership m JOIN programmes_network n ON n.id = m.network_id
                WHERE m.city_id = c.id ORDER BY n.name, m.id LIMIT 20) m) AS memberships,
            (SELECT coalesce(json_agg(json_build_object('role', sm.role, 'stream', st.name,
                    'programme', pr.name)), '[]')
                FROM programmes_streammember sm
                JOIN programmes_thematicstream st ON st.id = sm.stream_id
                JOIN programmes_programme pr ON pr.id = st.programme_id
                WHERE sm.city_id = c.id) AS stream_roles,
            (SELECT coalesce(json_agg(row_to_json(x)), '[]')
                FROM (SELECT p.id, p.title, p.status, p.start_date, p.end_date,
                        pr.name AS programme_name, st.name AS stream_name,
                        {participants("pc")} AS participants, mine.total
                    FROM (SELECT me.pairing_id, me.role, count(*) OVER () AS total
                        FROM programmes_pairingparticipant me
                        JOIN programmes_pairing p ON p.id = me.pairing_id
                        JOIN programmes_programme pr ON pr.id = p.programme_id
                        WHERE me.city_id = c.id AND {PUBLISHED_PAIRING}
                        ORDER BY me.role = 'pilot' DESC, p.start_date DESC NULLS LAST,
                            p.id DESC
                        LIMIT 20) mine
                    JOIN {PAIRING_FROM} ON p.id = mine.pairing_id) x) AS pairings,
            (SELECT coalesce(json_agg(row_to_json(y)), '[]')
                FROM (SELECT a.id, a.title, a.kind, a.status, a.start_date, a.end_date,
                        a.date_precision, pr.name AS programme, lc.name AS location_city,
                        count(*) OVER () AS total
                    FROM activities_activity a
                    LEFT JOIN programmes_programme pr ON pr.id = a.programme_id
                    LEFT JOIN cities_city lc ON lc.id = a.location_city_id
                    WHERE a.is_published AND a.id IN (
                        SELECT ac.activity_id FROM activities_activity_cities ac
                        WHERE ac.city_id = c.id
                        UNION SELECT h.id FROM activities_activity h
                        WHERE h.location_city_id = c.id)
                    ORDER BY a.start_date DESC, a.title LIMIT 20) y) AS activities
            FROM cities_city c WHERE c.id = %(city)s"""
        return Scenario(
            "page_city_detail",
            "Page: the busiest city",
            "page",
            50,
            [Variant(f"/cities/{slug}/", sql, self.params(city=city_id))],
            note=f"{slug}: in {pairings:,} pairings and {activities:,} activities.",
        )

    def dashboard(self) -> Scenario:
        # What the page shows (citypairing/views.py, home): totals as the planner's
        # estimates; the ten programmes and streams whose pairings changed last, with their
        # counts (exact up to 1,000); pairings by status (the same); the next activities;
        # what changed; the latest sources and quotes. The country ranking is cached by
        # the page, so the baseline leaves it out too.
        def capped(table: str, condition: str) -> str:
            return f"""(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {condition}
                LIMIT 1000) capped)"""

        sql = f"""WITH recent AS (
              SELECT p.programme_id, p.stream_id, row_number() OVER () AS position
              FROM (SELECT p.programme_id, p.stream_id FROM {PAIRING_FROM}
                    WHERE {PUBLISHED_PAIRING} ORDER BY p.modified DESC LIMIT 500) p),
          top_programmes AS (
              SELECT programme_id AS id, min(position) AS position FROM recent
              GROUP BY programme_id ORDER BY 2 LIMIT 10),
          top_streams AS (
              SELECT stream_id AS id, min(position) AS position FROM recent
              WHERE stream_id IS NOT NULL GROUP BY stream_id ORDER BY 2 LIMIT 10)
          SELECT
          (SELECT json_object_agg(relname, reltuples::bigint) FROM pg_class WHERE relname IN
              ('cities_city', 'programmes_network', 'programmes_programme',
               'programmes_pairing', 'activities_activity')) AS totals,
          (SELECT json_agg(row_to_json(x) ORDER BY x.position) FROM (
              SELECT pr.id, pr.name, pr.slug, t.position,
                {capped("programmes_pairing p", "p.programme_id = pr.id AND p.is_published")}
                    AS pairing_count,
                {capped("activities_activity a", "a.programme_id = pr.id AND a.is_published")}
                    AS activity_count
              FROM top_programmes t JOIN programmes_programme pr ON pr.id = t.id) x)
            AS programmes_list,
          (SELECT json_agg(row_to_json(x) ORDER BY x.position) FROM (
              SELECT st.id, st.name, pr.name AS programme, t.position,
                {capped("programmes_pairing p", "p.stream_id = st.id AND p.is_published")}
                    AS pairing_count
              FROM top_streams t JOIN programmes_thematicstream st ON st.id = t.id
              JOIN programmes_programme pr ON pr.id = st.programme_id) x) AS streams,
          (SELECT json_object_agg(status, {
            capped("programmes_pairing p", "p.status = s.status AND p.is_published")
        })
              FROM (VALUES ('proposed'), ('agreed'), ('active'), ('completed'),
                    ('dormant'), ('cancelled')) AS s(status)) AS statuses,
          (SELECT json_agg(row_to_json(x)) FROM (
              SELECT a.id, a.title, a.start_date, a.end_date, lc.name AS city,
                     pr.name AS programme
              FROM activities_activity a
              LEFT JOIN cities_city lc ON lc.id = a.location_city_id
              LEFT JOIN programmes_programme pr ON pr.id = a.programme_id
              WHERE a.is_published AND a.start_date BETWEEN %(today)s AND %(horizon)s
              ORDER BY a.start_date, a.title LIMIT 12) x) AS upcoming,
          (SELECT json_agg(row_to_json(x)) FROM (
              (SELECT 'city' AS kind, id, name, modified FROM cities_city
               ORDER BY modified DESC LIMIT 10)
              UNION ALL (SELECT 'pairing', id, title, modified FROM programmes_pairing
               WHERE is_published ORDER BY modified DESC LIMIT 10)
              UNION ALL (SELECT 'activity', id, title, modified FROM activities_activity
               WHERE is_published ORDER BY modified DESC LIMIT 10)
              ORDER BY modified DESC LIMIT 10) x) AS recent,
          (SELECT json_agg(row_to_json(x)) FROM (
              SELECT s.id, s.title,
                {capped("sources_citation ci", "ci.source_id = s.id")} AS citation_count
              FROM sources_source s ORDER BY s.modified DESC LIMIT 8) x) AS sources,
          (SELECT json_agg(row_to_json(x)) FROM (
              SELECT ci.id, ci.quote, ci.locator, s.title FROM sources_citation ci
              JOIN sources_source s ON s.id = ci.source_id
              ORDER BY ci.modified DESC LIMIT 5) x) AS quotes"""
        today = datetime.date.today()
        return Scenario(
            "page_dashboard",
            "Page: dashboard (home)",
            "page",
            150,
            [
                Variant(
                    "/",
                    sql,
                    self.params(today=today, horizon=today + datetime.timedelta(days=90)),
                )
            ],
        )

    def map_programmes(self) -> list[tuple[int, str, int]]:
        """Return five published programmes of about the median size (id, slug, pairings)."""
        if not hasattr(self, "_map_programmes"):
            sizes = self.rows(
                """SELECT pr.id, pr.slug, count(p.id) FROM programmes_programme pr
                   JOIN programmes_pairing p ON p.programme_id = pr.id AND p.is_published
                   WHERE pr.is_published AND pr.id <> 1
                   GROUP BY pr.id ORDER BY count(p.id), pr.id"""
            )
            middle = len(sizes) // 2
            self._map_programmes = sizes[max(0, middle - 2) : middle + 3]
        return self._map_programmes

    def map_note(self) -> str:
        counts = [count for _, _, count in self.map_programmes()]
        return f"Programmes of median size: {min(counts):,}–{max(counts):,} pairings."

    def map_pairings(self) -> Scenario:
        sql = f"""SELECT p.id, p.title, p.status, pr.name AS programme, {PARTICIPANTS}
                AS participants
            FROM {PAIRING_FROM}
            WHERE {PUBLISHED_PAIRING} AND p.programme_id = %(programme)s
            ORDER BY pr.name, st.programme_id, st."order", st.name, p.title, p.id"""
        variants = [
            Variant(
                f"{API}/pairings/?format=geojson&programme={slug}",
                sql,
                self.params(programme=programme_id),
                shape="pairing_features",
            )
            for programme_id, slug, _ in self.map_programmes()
        ]
        return Scenario(
            "api_map_pairings",
            "Map data: a programme's pairings (GeoJSON)",
            "api",
            50,
            variants,
            note=self.map_note(),
        )

    def map_cities(self) -> Scenario:
        sql = f"""SELECT {CITY_COLUMNS} FROM cities_city c
            WHERE c.id IN (SELECT pp.city_id FROM programmes_pairingparticipant pp
                JOIN programmes_pairing p ON p.id = pp.pairing_id
                WHERE p.programme_id = %(programme)s)
            ORDER BY c.name, c.country, c.id"""
        variants = [
            Variant(
                f"{API}/cities/?format=geojson&programme={slug}",
                sql,
                self.params(programme=programme_id),
                shape="city_features",
            )
            for programme_id, slug, _ in self.map_programmes()
        ]
        return Scenario(
            "api_map_cities",
            "Map data: a programme's cities (GeoJSON)",
            "api",
            50,
            variants,
            note=self.map_note(),
        )


def cursor_token(after_id: int) -> str:
    """Return the token of DRF's cursor pagination for the page after ``after_id`` (by id)."""
    return base64.b64encode(urlencode({"p": after_id}).encode("ascii")).decode("ascii")
