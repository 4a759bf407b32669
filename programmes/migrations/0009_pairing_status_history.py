"""Database rule: a pairing's status history moves forward in time and ends at its status.

Each status change is dated on or after the one recorded before it and not in the future,
and a pairing with a history has the status of its latest change. The rule spans rows
and tables, so a constraint trigger checks it, deferred to commit (a service updates the
pairing's status, then records the change). ``programmes.services`` runs it early with
SET CONSTRAINTS ... IMMEDIATE; ``PairingStatusChange.clean()`` says the same in words.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION programmes_pairing_status_history() RETURNS trigger AS $$
DECLARE
    target bigint;
    current_status varchar;
    latest_status varchar;
    backwards bigint;
BEGIN
    IF TG_TABLE_NAME = 'programmes_pairingstatuschange' THEN
        IF TG_OP = 'DELETE' THEN target := OLD.pairing_id; ELSE target := NEW.pairing_id; END IF;
        -- A day of slack: the application checks against the registry's own date, which
        -- may be a day ahead of the database server's.
        IF TG_OP <> 'DELETE' AND NEW.changed_on > current_date + 1 THEN
            RAISE EXCEPTION 'status change % of pairing % is dated in the future (%)',
                NEW.id, target, NEW.changed_on
                USING ERRCODE = 'check_violation', CONSTRAINT = 'pairing_status_history';
        END IF;
    ELSE
        target := NEW.id;
    END IF;
    SELECT status INTO current_status FROM programmes_pairing WHERE id = target;
    IF NOT FOUND THEN
        RETURN NULL;  -- the pairing was deleted with its history
    END IF;
    SELECT id INTO backwards FROM (
        SELECT id, changed_on, lag(changed_on) OVER (ORDER BY id) AS previous
          FROM programmes_pairingstatuschange WHERE pairing_id = target
    ) AS steps WHERE changed_on < previous LIMIT 1;
    IF backwards IS NOT NULL THEN
        RAISE EXCEPTION 'status change % of pairing % is dated before the change recorded before it',
            backwards, target
            USING ERRCODE = 'check_violation', CONSTRAINT = 'pairing_status_history';
    END IF;
    SELECT status INTO latest_status FROM programmes_pairingstatuschange
     WHERE pairing_id = target ORDER BY id DESC LIMIT 1;
    IF latest_status IS NOT NULL AND latest_status <> current_status THEN
        RAISE EXCEPTION 'pairing % has status % but its latest status change says %',
            target, current_status, latest_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'pairing_status_history';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE CONSTRAINT TRIGGER pairing_status_history
    AFTER INSERT OR UPDATE OR DELETE ON programmes_pairingstatuschange
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION programmes_pairing_status_history();
CREATE CONSTRAINT TRIGGER pairing_status_history
    AFTER UPDATE OF status ON programmes_pairing
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION programmes_pairing_status_history();
"""

REVERSE = """
DROP TRIGGER IF EXISTS pairing_status_history ON programmes_pairingstatuschange;
DROP TRIGGER IF EXISTS pairing_status_history ON programmes_pairing;
DROP FUNCTION IF EXISTS programmes_pairing_status_history();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0008_dates_in_range"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGERS, REVERSE),
    ]
