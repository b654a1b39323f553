"""Every participation keeps the exact value of its demand (``Participation.demand_value_e4``), so that the
pooled value sums participations instead of demand lines. This fills it for the participations that exist."""

from django.db import migrations, models

FRAMEWORK_CONTRACT = "framework_contract"


def fill_demand_values(apps, schema_editor):
    """The rule of ``procurement.selectors``: quantity (for a framework the maximum where given) × estimated
    unit price, both in hundredths, summed as integers."""
    Participation = apps.get_model("procurement", "Participation")
    DemandLine = apps.get_model("procurement", "DemandLine")
    values: dict[int, int] = {}
    lines = DemandLine.objects.values_list(
        "participation_id", "quantity", "max_quantity", "item__estimated_unit_price", "participation__initiative__kind")
    for participation_id, quantity, maximum, price, kind in lines.iterator():
        counted = maximum if kind == FRAMEWORK_CONTRACT and maximum is not None else quantity
        values[participation_id] = values.get(participation_id, 0) + round(counted * 100) * round(price * 100)
    for participation_id, value in values.items():
        Participation.objects.filter(pk=participation_id).update(demand_value_e4=value)


class Migration(migrations.Migration):

    dependencies = [
        ("procurement", "0003_tenders"),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="demand_value_e4",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_demand_values, migrations.RunPython.noop),
    ]
