"""Seed the threshold table of DESIGN.md §5 (supplies and services, sub-central authority, excl. VAT).

Editable afterwards in the admin; a new period is a new row, never a changed constant in code."""

from datetime import date
from decimal import Decimal

from django.db import migrations

LAW = "Wet van 17 juni 2016 inzake overheidsopdrachten"
ROWS = [
    ("accepted_invoice", "30000", date(2024, 1, 1), date(2025, 12, 31), True,
     f"Art. 92 {LAW}; art. 5 KB 18 april 2017 (plaatsing klassieke sectoren): opdracht van beperkte waarde."),
    ("accepted_invoice", "30000", date(2026, 1, 1), date(2027, 12, 31), True,
     f"Art. 92 {LAW}; art. 5 KB 18 april 2017 (plaatsing klassieke sectoren): opdracht van beperkte waarde."),
    ("negotiated_without_publication", "143000", date(2024, 1, 1), date(2025, 12, 31), True,
     f"Art. 42 §1, 1°, a {LAW}; art. 90 KB 18 april 2017."),
    ("negotiated_without_publication", "140000", date(2026, 1, 1), date(2027, 12, 31), False,
     f"Art. 42 §1, 1°, a {LAW}; art. 90 KB 18 april 2017. Amount for 2026–2027 announced, not yet confirmed "
     "in a Belgian act: check before relying on it."),
    ("eu_supplies_services", "221000", date(2024, 1, 1), date(2025, 12, 31), True,
     "Directive 2014/24/EU art. 4(c), amended by Delegated Regulation (EU) 2023/2495."),
    ("eu_supplies_services", "216000", date(2026, 1, 1), date(2027, 12, 31), True,
     "Directive 2014/24/EU art. 4(c), amended by Delegated Regulation (EU) 2025/2152."),
    ("eu_works", "5538000", date(2024, 1, 1), date(2025, 12, 31), True,
     "Directive 2014/24/EU art. 4(a), amended by Delegated Regulation (EU) 2023/2495."),
    ("eu_works", "5404000", date(2026, 1, 1), date(2027, 12, 31), True,
     "Directive 2014/24/EU art. 4(a), amended by Delegated Regulation (EU) 2025/2152."),
]


def seed(apps, schema_editor):
    Threshold = apps.get_model("procurement", "Threshold")
    for kind, amount, valid_from, valid_until, confirmed, source in ROWS:
        Threshold.objects.update_or_create(
            kind=kind, valid_from=valid_from,
            defaults={"amount": Decimal(amount), "valid_until": valid_until, "is_confirmed": confirmed,
                      "source": source},
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("procurement", "Threshold")
    for kind, _amount, valid_from, *_rest in ROWS:
        Threshold.objects.filter(kind=kind, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
