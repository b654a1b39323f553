"""The contract's foreign keys follow the tender models into ``tendering`` (same tables: state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_calloffs_and_cost_sharing'),
        ('tendering', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='contract',
                    name='award',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contracts', to='tendering.award'),
                ),
                migrations.AlterField(
                    model_name='contract',
                    name='supplier',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contracts', to='tendering.supplier'),
                ),
                migrations.AlterField(
                    model_name='contract',
                    name='tender',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contracts', to='tendering.tender'),
                ),
            ],
        ),
    ]
