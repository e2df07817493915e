"""Store audit payloads in their canonical JSON spelling (chain.CanonicalJSONEncoder).

The encoder changes only how Python writes the value, not the column; state only, because on
SQLite an AlterField rebuilds the table and would drop the append-only triggers of 0002.
"""

import xianjie.audit.chain
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="payload",
                    field=models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=xianjie.audit.chain.CanonicalJSONEncoder,
                        verbose_name="内容",
                    ),
                ),
            ],
        ),
    ]
