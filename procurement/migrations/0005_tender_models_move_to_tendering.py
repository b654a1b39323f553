"""The tender models now live in ``tendering`` (its migration 0001): forget them here, keep their tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0004_participation_demand_value'),
        ('tendering', '0001_initial'),
        ('contracts', '0003_tender_models_in_tendering'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='award',
                    name='bid',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='lot',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='tender',
                ),
                migrations.RemoveField(
                    model_name='awardcriterion',
                    name='tender',
                ),
                migrations.RemoveField(
                    model_name='qualityscore',
                    name='criterion',
                ),
                migrations.RemoveField(
                    model_name='bid',
                    name='entered_by',
                ),
                migrations.RemoveField(
                    model_name='bid',
                    name='lot',
                ),
                migrations.RemoveField(
                    model_name='bid',
                    name='supplier',
                ),
                migrations.RemoveField(
                    model_name='bid',
                    name='tender',
                ),
                migrations.RemoveField(
                    model_name='bidprice',
                    name='bid',
                ),
                migrations.RemoveField(
                    model_name='qualityscore',
                    name='bid',
                ),
                migrations.RemoveField(
                    model_name='bidprice',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='supplier',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='tender',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='tender',
                    name='initiative',
                ),
                migrations.DeleteModel(
                    name='Award',
                ),
                migrations.DeleteModel(
                    name='AwardCriterion',
                ),
                migrations.DeleteModel(
                    name='Bid',
                ),
                migrations.DeleteModel(
                    name='QualityScore',
                ),
                migrations.DeleteModel(
                    name='BidPrice',
                ),
                migrations.DeleteModel(
                    name='Supplier',
                ),
                migrations.DeleteModel(
                    name='Tender',
                ),
            ],
        ),
    ]
