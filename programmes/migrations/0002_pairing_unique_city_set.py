"""Database rule: the same set of cities is paired at most once per programme and stream.

A set of rows cannot be covered by a UniqueConstraint, so a deferred constraint trigger
checks it at commit (after all participants of a new pairing are in). Services run the
check early with SET CONSTRAINTS ... IMMEDIATE to turn a clash into a ValidationError.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION programmes_pairing_unique_city_set() RETURNS trigger AS $$
DECLARE
    target bigint;
    mine bigint[];
    clash bigint;
BEGIN
    IF TG_TABLE_NAME = 'programmes_pairingparticipant' THEN
        IF TG_OP = 'DELETE' THEN target := OLD.pairing_id; ELSE target := NEW.pairing_id; END IF;
    ELSE
        target := NEW.id;
    END IF;
    SELECT array_agg(city_id ORDER BY city_id) INTO mine
      FROM programmes_pairingparticipant WHERE pairing_id = target;
    IF mine IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT other.pairing_id INTO clash
      FROM programmes_pairing AS this
      JOIN programmes_pairingparticipant AS other ON other.city_id = mine[1]
      JOIN programmes_pairing AS that ON that.id = other.pairing_id
     WHERE this.id = target
       AND other.pairing_id <> target
       AND that.programme_id = this.programme_id
       AND that.stream_id IS NOT DISTINCT FROM this.stream_id
       AND (SELECT array_agg(city_id ORDER BY city_id) FROM programmes_pairingparticipant
             WHERE pairing_id = other.pairing_id) = mine
     LIMIT 1;
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'pairing % has the same cities as pairing % in the same programme and stream', target, clash
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'pairing_unique_city_set';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE CONSTRAINT TRIGGER pairing_unique_city_set
    AFTER INSERT OR UPDATE OR DELETE ON programmes_pairingparticipant
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION programmes_pairing_unique_city_set();
CREATE CONSTRAINT TRIGGER pairing_unique_city_set
    AFTER UPDATE OF programme_id, stream_id ON programmes_pairing
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION programmes_pairing_unique_city_set();
"""

REVERSE = """
DROP TRIGGER IF EXISTS pairing_unique_city_set ON programmes_pairingparticipant;
DROP TRIGGER IF EXISTS pairing_unique_city_set ON programmes_pairing;
DROP FUNCTION IF EXISTS programmes_pairing_unique_city_set();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGERS, REVERSE),
    ]
