"""PartnerRequest (and its history events) moves to the partners app, tables kept.

Only the model state leaves (partners 0001 takes it over with the same table names); the
history triggers are dropped here (with their functions, which pgtrigger leaves behind)
because their names hash the model's app, and partners 0001 adds them again under the new
names.
"""

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0009_pairing_status_history"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="partnerrequest",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="partnerrequest",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="partnerrequest",
            name="delete_delete",
        ),
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS pgtrigger_insert_insert_2a309(), "
            "pgtrigger_update_update_37ac0(), pgtrigger_delete_delete_9d763();",
            # Going back, AddTrigger creates the functions again.
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="city",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="pairing",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="programme",
                ),
                migrations.RemoveField(
                    model_name="partnerrequestevent",
                    name="stream",
                ),
                migrations.DeleteModel(
                    name="PartnerRequest",
                ),
                migrations.DeleteModel(
                    name="PartnerRequestEvent",
                ),
            ],
        ),
    ]
