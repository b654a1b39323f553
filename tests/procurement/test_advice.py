"""Procedure advice at every threshold, on both sides of 1 January 2026 (DESIGN.md §5).

The same table runs twice: against the pure function ``procedure_advice`` with the thresholds of the data
migration, and through ``selectors.advice_for`` with the rows that the migration seeded in the database.
"""

import importlib
from datetime import date
from decimal import Decimal

import pytest

from procurement import advice, selectors
from procurement.advice import ThresholdInForce, procedure_advice
from procurement.models import InitiativeKind, Threshold, ThresholdKind
from tests import factories as f

SEED = importlib.import_module("procurement.migrations.0002_seed_thresholds")

OLD = date(2025, 12, 31)  # 30 000 / 143 000 / 221 000
NEW = date(2026, 1, 1)  # 30 000 / 140 000 (not yet confirmed) / 216 000

INVOICE = (advice.ACCEPTED_INVOICE, advice.PUBLICATION_NONE)
NEGOTIATED = (advice.NEGOTIATED_WITHOUT_PUBLICATION, advice.PUBLICATION_NONE)
BELGIAN = (advice.OPEN, advice.PUBLICATION_BELGIAN)
EUROPEAN = (advice.OPEN, advice.PUBLICATION_EUROPEAN)

# (date, value, (procedure, publication), deciding threshold)
TABLE = [
    (OLD, "0.00", INVOICE, "30000"),
    (OLD, "29999.99", INVOICE, "30000"),
    (OLD, "30000.00", NEGOTIATED, "143000"),
    (OLD, "139999.99", NEGOTIATED, "143000"),
    (OLD, "140000.00", NEGOTIATED, "143000"),
    (OLD, "142999.99", NEGOTIATED, "143000"),
    (OLD, "143000.00", BELGIAN, "221000"),
    (OLD, "215999.99", BELGIAN, "221000"),
    (OLD, "216000.00", BELGIAN, "221000"),
    (OLD, "220999.99", BELGIAN, "221000"),
    (OLD, "221000.00", EUROPEAN, "221000"),
    (OLD, "5000000.00", EUROPEAN, "221000"),
    (NEW, "0.00", INVOICE, "30000"),
    (NEW, "29999.99", INVOICE, "30000"),
    (NEW, "30000.00", NEGOTIATED, "140000"),
    (NEW, "139999.99", NEGOTIATED, "140000"),
    (NEW, "140000.00", BELGIAN, "216000"),
    (NEW, "142999.99", BELGIAN, "216000"),
    (NEW, "143000.00", BELGIAN, "216000"),
    (NEW, "215999.99", BELGIAN, "216000"),
    (NEW, "216000.00", EUROPEAN, "216000"),
    (NEW, "220999.99", EUROPEAN, "216000"),
    (NEW, "221000.00", EUROPEAN, "216000"),
]


def seeded_in_force(on: date) -> dict[str, ThresholdInForce]:
    """The migration's rows in force on ``on``, read from the migration itself (no database)."""
    return {
        kind: ThresholdInForce(kind=kind, amount=Decimal(amount), valid_from=start, source=source, confirmed=confirmed)
        for kind, amount, start, until, confirmed, source in SEED.ROWS
        if start <= on <= until
    }


def ids(row) -> str:
    return f"{row[0]:%Y-%m-%d}-{row[1]}"


@pytest.mark.parametrize(("on", "value", "expected", "threshold"), TABLE, ids=[ids(r) for r in TABLE])
def test_pure_advice_at_each_threshold(on, value, expected, threshold):
    result = procedure_advice(value=Decimal(value), on=on, thresholds=seeded_in_force(on))
    assert (result.procedure, result.publication) == expected
    assert result.threshold == Decimal(threshold)
    assert result.value == Decimal(value)
    assert result.on == on


@pytest.mark.django_db
@pytest.mark.parametrize(("on", "value", "expected", "threshold"), TABLE, ids=[ids(r) for r in TABLE])
def test_advice_for_an_initiative_with_the_seeded_thresholds(on, value, expected, threshold):
    initiative = f.InitiativeFactory(planned_procedure_start=on)
    result = selectors.advice_for(initiative, demand=Decimal(value))
    assert (result.procedure, result.publication) == expected
    assert result.threshold == Decimal(threshold)
    assert result.as_dict()["threshold"] == f"{Decimal(threshold):.2f}"


@pytest.mark.django_db
def test_the_migration_seeded_the_table_of_the_design():
    rows = {(t.kind, t.valid_from, t.valid_until): t for t in Threshold.objects.all()}
    old, new = (date(2024, 1, 1), OLD), (NEW, date(2027, 12, 31))
    assert {key: t.amount for key, t in rows.items()} == {
        (ThresholdKind.ACCEPTED_INVOICE, *old): Decimal("30000"),
        (ThresholdKind.ACCEPTED_INVOICE, *new): Decimal("30000"),
        (ThresholdKind.NEGOTIATED_WITHOUT_PUBLICATION, *old): Decimal("143000"),
        (ThresholdKind.NEGOTIATED_WITHOUT_PUBLICATION, *new): Decimal("140000"),
        (ThresholdKind.EU_SUPPLIES_SERVICES, *old): Decimal("221000"),
        (ThresholdKind.EU_SUPPLIES_SERVICES, *new): Decimal("216000"),
        (ThresholdKind.EU_WORKS, *old): Decimal("5538000"),
        (ThresholdKind.EU_WORKS, *new): Decimal("5404000"),
    }
    # Only the 2026–2027 negotiated-procedure amount awaits confirmation in a Belgian act.
    assert [(t.kind, t.valid_from) for t in rows.values() if not t.is_confirmed] == [
        (ThresholdKind.NEGOTIATED_WITHOUT_PUBLICATION, NEW)
    ]
    assert all(t.source for t in rows.values())


@pytest.mark.django_db
@pytest.mark.parametrize("on", [date(2024, 1, 1), OLD, NEW, date(2027, 12, 31)])
def test_thresholds_in_force_matches_the_migration(on):
    in_force = selectors.thresholds_in_force(on)
    assert {k: (v.amount, v.confirmed) for k, v in in_force.items()} == {
        k: (v.amount, v.confirmed) for k, v in seeded_in_force(on).items()
    }


# --- warnings ---

NEAR = "within 10 % of the threshold of"

WARNINGS = [
    # date, value, near-threshold warning names, unconfirmed warning names
    (OLD, "26999.99", None, None),
    (OLD, "27000.00", "30.000,00 €", None),
    (OLD, "29999.99", "30.000,00 €", None),
    (OLD, "128699.99", None, None),
    (OLD, "128700.00", "143.000,00 €", None),  # 90 % of 143 000
    (OLD, "198899.99", None, None),
    (OLD, "198900.00", "221.000,00 €", None),  # 90 % of 221 000
    (OLD, "221000.00", None, None),  # nothing above the European threshold to warn about
    (NEW, "26999.99", None, None),
    (NEW, "27000.00", "30.000,00 €", None),
    (NEW, "30000.00", None, "140.000,00 €"),
    (NEW, "125999.99", None, "140.000,00 €"),
    (NEW, "126000.00", "140.000,00 €", "140.000,00 €"),  # 90 % of 140 000
    (NEW, "139999.99", "140.000,00 €", "140.000,00 €"),
    # The unconfirmed 140 000 alone makes a publication necessary here: with 143 000 it would not be.
    (NEW, "141000.00", None, "140.000,00 €"),
    (NEW, "194399.99", None, "140.000,00 €"),
    (NEW, "194400.00", "216.000,00 €", "140.000,00 €"),  # 90 % of 216 000
    (NEW, "216000.00", None, None),
]


@pytest.mark.parametrize(("on", "value", "near", "unconfirmed"), WARNINGS, ids=[ids(r) for r in WARNINGS])
def test_warnings(on, value, near, unconfirmed):
    result = procedure_advice(value=Decimal(value), on=on, thresholds=seeded_in_force(on))
    near_warnings = [w for w in result.warnings if NEAR in w]
    unconfirmed_warnings = [w for w in result.warnings if "not yet confirmed" in w]
    assert len(result.warnings) == len(near_warnings) + len(unconfirmed_warnings)
    if near is None:
        assert near_warnings == []
    else:
        assert len(near_warnings) == 1 and near in near_warnings[0]
    if unconfirmed is None:
        assert unconfirmed_warnings == []
    else:
        assert len(unconfirmed_warnings) == 1
        assert unconfirmed in unconfirmed_warnings[0]
        assert f"{on:%d-%m-%Y}" in unconfirmed_warnings[0]


@pytest.mark.django_db
def test_the_unconfirmed_warning_comes_from_the_database_flag():
    Threshold.objects.filter(kind=ThresholdKind.NEGOTIATED_WITHOUT_PUBLICATION, valid_from=NEW).update(
        is_confirmed=True
    )
    initiative = f.InitiativeFactory(planned_procedure_start=NEW)
    assert not [w for w in selectors.advice_for(initiative, demand=Decimal("100000")).warnings
                if "not yet confirmed" in w]


# --- reasons, missing table, framework, shared hire ---

def test_reasons_explain_the_value_the_procedure_and_the_date():
    result = procedure_advice(value=Decimal("150000"), on=NEW, thresholds=seeded_in_force(NEW))
    text = " ".join(result.reasons)
    assert "all lots, all participants, options and renewals" in text
    assert "150.000,00 €" in text and "140.000,00 €" in text and "216.000,00 €" in text
    assert "Belgian" in text
    assert "01-01-2026" in text
    assert "maximum quantities" not in text


def test_the_european_reason_names_ted():
    result = procedure_advice(value=Decimal("221000"), on=OLD, thresholds=seeded_in_force(OLD))
    assert any("(TED)" in r and "221.000,00 €" in r for r in result.reasons)


def test_framework_reason():
    result = procedure_advice(value=Decimal("1000"), on=NEW, thresholds=seeded_in_force(NEW), is_framework=True)
    assert any("maximum quantities over the whole term" in r for r in result.reasons)


@pytest.mark.parametrize("missing", ["accepted_invoice", "negotiated_without_publication", "eu_supplies_services"])
def test_an_incomplete_table_advises_the_strictest_procedure(missing):
    thresholds = seeded_in_force(NEW)
    del thresholds[missing]
    result = procedure_advice(value=Decimal("100"), on=NEW, thresholds=thresholds)
    assert (result.procedure, result.publication, result.threshold) == (*EUROPEAN, None)
    assert missing in result.reasons[0]
    assert any("incomplete" in w for w in result.warnings)


@pytest.mark.django_db
def test_no_thresholds_after_the_seeded_period():
    initiative = f.InitiativeFactory(planned_procedure_start=date(2028, 1, 1))
    result = selectors.advice_for(initiative, demand=Decimal("100"))
    assert (result.procedure, result.publication) == EUROPEAN
    assert "01-01-2028" in result.reasons[0]


@pytest.mark.django_db
def test_a_shared_hire_gets_the_recruitment_advice_whatever_its_value():
    initiative = f.InitiativeFactory(kind=InitiativeKind.SHARED_HIRE, planned_procedure_start=NEW)
    for value in ("0", "29999.99", "500000"):
        result = selectors.advice_for(initiative, demand=Decimal(value))
        assert (result.procedure, result.publication, result.threshold) == (
            advice.RECRUITMENT, advice.PUBLICATION_NONE, None)
        assert result.warnings == []
        assert "employment, not a public contract" in result.reasons[0]


@pytest.mark.django_db
def test_a_framework_counts_the_maximum_quantities():
    initiative = f.InitiativeFactory(kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48,
                                     planned_procedure_start=NEW)
    item = f.ItemFactory(lot__initiative=initiative, estimated_unit_price=Decimal("1000.00"))
    f.DemandLineFactory(participation__initiative=initiative, item=item, quantity=Decimal("25"),
                        max_quantity=Decimal("150"))
    f.DemandLineFactory(participation__initiative=initiative, item=f.ItemFactory(
        lot=item.lot, estimated_unit_price=Decimal("10.00")), quantity=Decimal("5"), max_quantity=None)
    result = selectors.advice_for(initiative)
    # 150 × 1 000 + 5 × 10 (no maximum given: the quantity counts), not 25 × 1 000 + 5 × 10
    assert result.value == Decimal("150050.00")
    assert (result.procedure, result.publication) == BELGIAN
    assert any("maximum quantities" in r for r in result.reasons)


@pytest.mark.django_db
def test_a_joint_purchase_ignores_maximum_quantities():
    initiative = f.InitiativeFactory(planned_procedure_start=NEW)
    item = f.ItemFactory(lot__initiative=initiative, estimated_unit_price=Decimal("1000.00"))
    f.DemandLineFactory(participation__initiative=initiative, item=item, quantity=Decimal("25"),
                        max_quantity=Decimal("150"))
    assert selectors.advice_for(initiative).value == Decimal("25000.00")


def test_level_orders_the_advices():
    table = seeded_in_force(NEW)
    levels = [advice.level(procedure_advice(value=Decimal(v), on=NEW, thresholds=table))
              for v in ("0", "30000", "140000", "216000")]
    assert levels == sorted(levels) and len(set(levels)) == 4
    # Within one band the level does not move, whatever the warnings say.
    assert advice.level(procedure_advice(value=Decimal("30000"), on=NEW, thresholds=table)) == advice.level(
        procedure_advice(value=Decimal("139999.99"), on=NEW, thresholds=table))
