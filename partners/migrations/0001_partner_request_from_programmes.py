"""PartnerRequest moves from programmes to partners and keeps its tables.

The state takes the model over (programmes 0010 gave it up); the database keeps the
tables, constraints and data. Only the history triggers are made again: their names hash
the model's app, so programmes 0010 dropped the old ones and this adds them under the new
names. The content types move too, so permissions granted on partner requests (and admin
log entries) stay with them.
"""

import datetime

import django.db.models.deletion
import django_countries.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import core.dates

MOVED = ("partnerrequest", "partnerrequestevent")


def move_content_types(source: str, target: str):
    """Return a RunPython step relabelling the moved models' content types."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects
        for model in MOVED:
            if not content_types.filter(app_label=target, model=model).exists():
                content_types.filter(app_label=source, model=model).update(app_label=target)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cities", "0005_name_score_long_keys"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("programmes", "0010_partner_request_moves_to_partners"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PartnerRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("modified", models.DateTimeField(auto_now=True, db_index=True)),
                        (
                            "theme",
                            models.CharField(
                                help_text="What the city needs, in words: e.g. sponge city flood retention.",
                                max_length=300,
                            ),
                        ),
                        (
                            "preferred_countries",
                            django_countries.fields.CountryField(
                                blank=True, max_length=749, multiple=True
                            ),
                        ),
                        (
                            "partner_kind",
                            models.CharField(
                                choices=[
                                    ("any", "Any"),
                                    ("peer", "Peer facing the same challenge"),
                                    ("mentor", "Mentor with experience"),
                                    ("learner", "City that wants to learn"),
                                ],
                                default="any",
                                max_length=20,
                                verbose_name="kind of partner",
                            ),
                        ),
                        (
                            "deadline",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[core.dates.validate_date_in_range],
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("paired", "Turned into a pairing"),
                                    ("closed", "Closed"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        (
                            "city",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partner_requests",
                                to="cities.city",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="partner_requests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pairing",
                            models.OneToOneField(
                                blank=True,
                                help_text="The pairing this request became.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="partner_request",
                                to="programmes.pairing",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partner_requests",
                                to="programmes.programme",
                            ),
                        ),
                        (
                            "stream",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="partner_requests",
                                to="programmes.thematicstream",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programmes_partnerrequest",
                        "ordering": ["status", "deadline", "-created"],
                    },
                ),
                migrations.CreateModel(
                    name="PartnerRequestEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("modified", models.DateTimeField(auto_now=True)),
                        (
                            "theme",
                            models.CharField(
                                help_text="What the city needs, in words: e.g. sponge city flood retention.",
                                max_length=300,
                            ),
                        ),
                        (
                            "preferred_countries",
                            django_countries.fields.CountryField(
                                blank=True, max_length=749, multiple=True
                            ),
                        ),
                        (
                            "partner_kind",
                            models.CharField(
                                choices=[
                                    ("any", "Any"),
                                    ("peer", "Peer facing the same challenge"),
                                    ("mentor", "Mentor with experience"),
                                    ("learner", "City that wants to learn"),
                                ],
                                default="any",
                                max_length=20,
                                verbose_name="kind of partner",
                            ),
                        ),
                        (
                            "deadline",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[core.dates.validate_date_in_range],
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("paired", "Turned into a pairing"),
                                    ("closed", "Closed"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        (
                            "city",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cities.city",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pairing",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The pairing this request became.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="programmes.pairing",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="partners.partnerrequest",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="programmes.programme",
                            ),
                        ),
                        (
                            "stream",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="programmes.thematicstream",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programmes_partnerrequestevent",
                        "abstract": False,
                    },
                ),
                migrations.AddConstraint(
                    model_name="partnerrequest",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("deadline__isnull", True),
                            (
                                "deadline__range",
                                (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
                            ),
                            _connector="OR",
                        ),
                        name="partnerrequest_deadline_in_range",
                        violation_error_message="Give a date between 1 January 1900 and 31 December 2100.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="partnerrequest",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("theme__regex", "\\S")),
                        name="partnerrequest_theme_not_blank",
                        violation_error_message="Say what the city is looking for.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="partnerrequest",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "paired"), _negated=True),
                            ("pairing__isnull", False),
                            _connector="OR",
                        ),
                        name="partnerrequest_paired_has_pairing",
                        violation_error_message="A request marked as paired must name its pairing.",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("programmes", "partners"),
            move_content_types("partners", "programmes"),
        ),
        migrations.RunSQL(
            migrations.RunSQL.noop,
            # Going back, the triggers are removed but pgtrigger leaves their functions.
            reverse_sql="DROP FUNCTION IF EXISTS pgtrigger_insert_insert_9e3b0(), "
            "pgtrigger_update_update_74fbd(), pgtrigger_delete_delete_84cdd();",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partnerrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "programmes_partnerrequestevent" ("city_id", "created", "created_by_id", "deadline", "description", "id", "modified", "pairing_id", "partner_kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferred_countries", "programme_id", "status", "stream_id", "theme") VALUES (NEW."city_id", NEW."created", NEW."created_by_id", NEW."deadline", NEW."description", NEW."id", NEW."modified", NEW."pairing_id", NEW."partner_kind", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."preferred_countries", NEW."programme_id", NEW."status", NEW."stream_id", NEW."theme"); RETURN NULL;',
                    hash="17fd8ca90290f12221a9b2d9d051be779ac261be",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_9e3b0",
                    table="programmes_partnerrequest",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partnerrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "programmes_partnerrequestevent" ("city_id", "created", "created_by_id", "deadline", "description", "id", "modified", "pairing_id", "partner_kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferred_countries", "programme_id", "status", "stream_id", "theme") VALUES (NEW."city_id", NEW."created", NEW."created_by_id", NEW."deadline", NEW."description", NEW."id", NEW."modified", NEW."pairing_id", NEW."partner_kind", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."preferred_countries", NEW."programme_id", NEW."status", NEW."stream_id", NEW."theme"); RETURN NULL;',
                    hash="9207bf1f8a28bd87d5dcd020b518303179bfcd30",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_74fbd",
                    table="programmes_partnerrequest",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partnerrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "programmes_partnerrequestevent" ("city_id", "created", "created_by_id", "deadline", "description", "id", "modified", "pairing_id", "partner_kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferred_countries", "programme_id", "status", "stream_id", "theme") VALUES (OLD."city_id", OLD."created", OLD."created_by_id", OLD."deadline", OLD."description", OLD."id", OLD."modified", OLD."pairing_id", OLD."partner_kind", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."preferred_countries", OLD."programme_id", OLD."status", OLD."stream_id", OLD."theme"); RETURN NULL;',
                    hash="b6c9f3f8fbbde8bcb95bda10b438c8aaa6b15b98",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_84cdd",
                    table="programmes_partnerrequest",
                    when="AFTER",
                ),
            ),
        ),
    ]
