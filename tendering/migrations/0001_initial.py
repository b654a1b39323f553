"""The tender models move from ``procurement`` into this app without touching the database.

They keep their tables (``db_table = "procurement_…"``), so every operation here changes Django's idea of the
models only (``SeparateDatabaseAndState``). Their content types are renamed so that the audit log's entries
about tenders, bids and suppliers keep pointing at them. ``contracts`` 0003 points its foreign keys here, then
``procurement`` 0005 forgets the models.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import procurement.models.organisations
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MODELS = ["supplier", "tender", "awardcriterion", "bid", "bidprice", "qualityscore", "award"]


def rename_content_types(apps, schema_editor, *, source="procurement", target="tendering"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, source="tendering", target="procurement")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('procurement', '0004_participation_demand_value'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Supplier',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('enterprise_number', models.CharField(help_text='KBO number, stored as 0xxx.xxx.xxx.', max_length=12, unique=True, verbose_name='enterprise number')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'supplier',
                        'verbose_name_plural': 'suppliers',
                        'db_table': 'procurement_supplier',
                        'ordering': ['name', 'id'],
                    },
                    bases=(procurement.models.organisations.NormalisedEnterpriseNumber, models.Model),
                ),
                migrations.CreateModel(
                    name='Tender',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', django_fsm.FSMField(choices=[('draft', 'draft'), ('published', 'published'), ('bids_closed', 'bids closed'), ('evaluated', 'evaluated'), ('awarded', 'awarded'), ('standstill', 'standstill period'), ('concluded', 'concluded'), ('cancelled', 'cancelled'), ('unsuccessful', 'unsuccessful')], db_index=True, default='draft', max_length=50, protected=True, verbose_name='state')),
                        ('procedure', models.CharField(choices=[('accepted_invoice', 'accepted invoice (contract of limited value, art. 92)'), ('negotiated_without_publication', 'negotiated procedure without prior publication (art. 42 §1, 1°, a)'), ('open', 'open procedure (art. 36)'), ('recruitment', 'recruitment (shared hire)')], max_length=40, verbose_name='procedure')),
                        ('publication', models.CharField(choices=[('none', 'no publication'), ('belgian', 'Belgian (e-Notification, Bulletin der Aanbestedingen)'), ('european', 'European (Official Journal of the EU, TED) and Belgian')], max_length=20, verbose_name='publication')),
                        ('advised_procedure', models.CharField(choices=[('accepted_invoice', 'accepted invoice (contract of limited value, art. 92)'), ('negotiated_without_publication', 'negotiated procedure without prior publication (art. 42 §1, 1°, a)'), ('open', 'open procedure (art. 36)'), ('recruitment', 'recruitment (shared hire)')], help_text='The procedure advice for the pooled value when the tender was created.', max_length=40, verbose_name='advised procedure')),
                        ('estimated_value', models.DecimalField(decimal_places=2, help_text='The pooled value of the frozen demand when the tender was created.', max_digits=16, verbose_name='estimated value excl. VAT')),
                        ('publication_reference', models.CharField(blank=True, help_text='The e-Notification or TED number, or the reference of the invitation to bid.', max_length=100, verbose_name='publication reference')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('bid_deadline', models.DateTimeField(verbose_name='bid deadline')),
                        ('standstill_days', models.PositiveSmallIntegerField(default=15, validators=[django.core.validators.MaxValueValidator(60)], verbose_name='standstill period (calendar days)')),
                        ('bids_closed_at', models.DateTimeField(blank=True, null=True, verbose_name='bids closed')),
                        ('evaluated_at', models.DateTimeField(blank=True, null=True, verbose_name='evaluated')),
                        ('awarded_at', models.DateTimeField(blank=True, null=True, verbose_name='awarded')),
                        ('standstill_ends', models.DateTimeField(blank=True, null=True, verbose_name='standstill ends')),
                        ('concluded_at', models.DateTimeField(blank=True, null=True, verbose_name='concluded')),
                        ('contract_start', models.DateField(blank=True, help_text='Set at conclusion; for a shared hire the start date of the employee.', null=True, verbose_name='contracts start on')),
                        ('reason', models.TextField(blank=True, verbose_name='reason (cancelled or unsuccessful)')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('initiative', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='tender', to='procurement.initiative')),
                    ],
                    options={
                        'verbose_name': 'tender',
                        'verbose_name_plural': 'tenders',
                        'db_table': 'procurement_tender',
                        'ordering': ['-created_at', '-id'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='Bid',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('candidate', models.CharField(blank=True, help_text="For a shared hire: the candidate's name instead of a supplier.", max_length=200, verbose_name='candidate')),
                        ('regular', models.BooleanField(default=True, verbose_name='regular')),
                        ('irregular_reason', models.TextField(blank=True, verbose_name='why the bid is irregular')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='total excl. VAT')),
                        ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='received')),
                        ('price_score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='price score')),
                        ('quality_score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='quality score')),
                        ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='score')),
                        ('rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='rank')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bids', to='procurement.lot')),
                        ('supplier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bids', to='tendering.supplier')),
                        ('tender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bids', to='tendering.tender')),
                    ],
                    options={
                        'verbose_name': 'bid',
                        'verbose_name_plural': 'bids',
                        'db_table': 'procurement_bid',
                        'ordering': ['tender_id', 'lot__number', 'received_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='AwardCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('weight', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='weight')),
                        ('is_price', models.BooleanField(default=False, verbose_name='price criterion')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('tender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='tendering.tender')),
                    ],
                    options={
                        'verbose_name': 'award criterion',
                        'verbose_name_plural': 'award criteria',
                        'db_table': 'procurement_awardcriterion',
                        'ordering': ['tender_id', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Award',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('total', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='awarded total excl. VAT')),
                        ('reason', models.TextField(blank=True, help_text='Why the lot is unsuccessful, or why a bid other than the first ranked is chosen.', verbose_name='reason')),
                        ('lot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='procurement.lot')),
                        ('bid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='tendering.bid')),
                        ('tender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='awards', to='tendering.tender')),
                    ],
                    options={
                        'verbose_name': 'award',
                        'verbose_name_plural': 'awards',
                        'db_table': 'procurement_award',
                        'ordering': ['tender_id', 'lot__number'],
                    },
                ),
                migrations.CreateModel(
                    name='BidPrice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('unit_price', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='unit price excl. VAT')),
                        ('quantity', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='pooled quantity')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='amount excl. VAT')),
                        ('bid', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prices', to='tendering.bid')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bid_prices', to='procurement.item')),
                    ],
                    options={
                        'verbose_name': 'bid price',
                        'verbose_name_plural': 'bid prices',
                        'db_table': 'procurement_bidprice',
                        'ordering': ['bid_id', 'item__position', 'item_id'],
                        'constraints': [models.UniqueConstraint(fields=('bid', 'item'), name='one_price_per_bid_and_item')],
                    },
                ),
                migrations.CreateModel(
                    name='QualityScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='score')),
                        ('bid', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='tendering.bid')),
                        ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='tendering.awardcriterion')),
                    ],
                    options={
                        'verbose_name': 'quality score',
                        'verbose_name_plural': 'quality scores',
                        'db_table': 'procurement_qualityscore',
                        'ordering': ['bid_id', 'criterion__position'],
                        'constraints': [models.UniqueConstraint(fields=('bid', 'criterion'), name='one_score_per_bid_and_criterion')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='bid',
                    constraint=models.UniqueConstraint(fields=('lot', 'supplier'), name='one_bid_per_supplier_and_lot'),
                ),
                migrations.AddConstraint(
                    model_name='bid',
                    constraint=models.UniqueConstraint(condition=models.Q(('candidate', ''), _negated=True), fields=('lot', 'candidate'), name='one_bid_per_candidate_and_lot'),
                ),
                migrations.AddConstraint(
                    model_name='bid',
                    constraint=models.CheckConstraint(condition=models.Q(('supplier__isnull', False), models.Q(('candidate', ''), _negated=True), _connector='OR'), name='bid_has_supplier_or_candidate'),
                ),
                migrations.AddConstraint(
                    model_name='bid',
                    constraint=models.CheckConstraint(condition=models.Q(('regular', True), models.Q(('irregular_reason', ''), _negated=True), _connector='OR'), name='irregular_bid_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='awardcriterion',
                    constraint=models.UniqueConstraint(fields=('tender', 'name'), name='unique_criterion_name'),
                ),
                migrations.AddConstraint(
                    model_name='awardcriterion',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_price', True)), fields=('tender',), name='one_price_criterion'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.UniqueConstraint(fields=('tender', 'lot'), name='one_award_per_lot'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.CheckConstraint(condition=models.Q(('bid__isnull', True), ('total__isnull', False), _connector='OR'), name='awarded_lot_has_total'),
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
