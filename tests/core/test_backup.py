"""A full dump of the registry restores to an identical registry."""

import uuid

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from core import backup
from core.embedded_db import ensure_database
from tests.factories import ActivityFactory, CitationFactory, PairingFactory

REGISTRY_TABLES = [
    "cities_city",
    "cities_cityalternativename",
    "programmes_network",
    "programmes_programme",
    "programmes_pairing",
    "programmes_pairingparticipant",
    "activities_activity",
    "activities_activity_cities",
    "sources_source",
    "sources_citation",
    "programmes_pairingevent",
]


def table_fingerprints(cursor) -> dict[str, str]:
    fingerprints = {}
    for table in REGISTRY_TABLES:
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
        )
        fingerprints[table] = cursor.fetchone()
    return fingerprints


def fingerprints_of(name, database):
    """Return the table fingerprints of database ``name``, read over a psycopg2 connection.

    Its own connection, because Django's may be psycopg 3 (installed for the job queue),
    whose cursors do not take psycopg2's composed SQL.
    """
    other = psycopg2.connect(
        dbname=name, host=database["HOST"], port=database["PORT"], user=database["USER"]
    )
    try:
        with other.cursor() as cursor:
            return table_fingerprints(cursor)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_dump_restores_to_an_identical_registry(tmp_path):
    pairing = PairingFactory(title="Incheon – Berlin")
    ActivityFactory(programme=pairing.programme, pairing=pairing).cities.add(
        *[p.city for p in pairing.participants.all()]
    )
    CitationFactory(record=pairing, quote="Incheon and Berlin")
    database = {**connection.settings_dict}
    original = fingerprints_of(database["NAME"], database)
    dump_file = tmp_path / "registry.dump"
    backup.dump(dump_file, database)

    restored = {**database, "NAME": f"restore_{uuid.uuid4().hex[:8]}"}
    ensure_database(
        {"HOST": database["HOST"], "PORT": database["PORT"], "USER": database["USER"]},
        restored["NAME"],
    )
    try:
        backup.restore(dump_file, restored)
        assert fingerprints_of(restored["NAME"], database) == original
    finally:
        admin = psycopg2.connect(
            dbname="postgres", host=database["HOST"], port=database["PORT"], user=database["USER"]
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(restored["NAME"])
                )
            )
        admin.close()
