"""Rounds record when they closed (retention counts from it) and when their identifiers were
destroyed. Rounds already closed get their closing time from their history (the first change to
"closed"), or failing that their last update."""

from django.db import migrations, models


def fill_closed_at(apps, schema_editor):
    AuditRound = apps.get_model("audits", "AuditRound")
    HistoricalAuditRound = apps.get_model("audits", "HistoricalAuditRound")
    for audit_round in AuditRound.objects.filter(status="closed", closed_at__isnull=True):
        # Closing is final: the first historical record in "closed" is when it closed.
        closed_at = (
            HistoricalAuditRound.objects.filter(id=audit_round.pk, status="closed")
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        audit_round.closed_at = closed_at or audit_round.updated_at
        audit_round.save(update_fields=["closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0005_historicallearningpoint_callout_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditround",
            name="closed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditround",
            name="identifiers_purged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="restricted identifiers destroyed"
            ),
        ),
        migrations.AddField(
            model_name="historicalauditround",
            name="closed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalauditround",
            name="identifiers_purged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="restricted identifiers destroyed"
            ),
        ),
        migrations.AlterField(
            model_name="casedraw",
            name="stored_file",
            field=models.CharField(
                blank=True,
                help_text="Name of the (encrypted) file in private storage; blank once destroyed under retention.",
                max_length=100,
            ),
        ),
        migrations.RunPython(fill_closed_at, migrations.RunPython.noop),
    ]
