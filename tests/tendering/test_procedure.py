"""The procedure of a tender: the advice for the pooled value, a stricter one accepted, a less strict one
refused naming the threshold and the value, at the threshold boundaries; the publication follows."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from procurement.models import InitiativeKind, InitiativeState, Item
from tendering.models import Tender

from .helpers import create_tender, make_ready

INVOICE, NEGOTIATED, OPEN = "accepted_invoice", "negotiated_without_publication", "open"


def ready_at(round_, value: str, **initiative_fields):
    """One laptop at ``value``: the pooled value is exactly that (thresholds of 2026–2027 on 01-03-2027:
    30 000, 140 000 (not yet confirmed), European 216 000)."""
    Item.objects.filter(pk=round_.laptop.pk).update(estimated_unit_price=Decimal(value))
    return make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "1"}]}, **initiative_fields)


@pytest.mark.parametrize("value, requested, procedure, publication", [
    ("29999.99", None, INVOICE, "none"),
    ("29999.99", NEGOTIATED, NEGOTIATED, "none"),
    ("29999.99", OPEN, OPEN, "belgian"),
    ("30000.00", None, NEGOTIATED, "none"),
    ("30000.00", OPEN, OPEN, "belgian"),
    ("139999.99", None, NEGOTIATED, "none"),
    ("140000.00", None, OPEN, "belgian"),
    ("215999.99", None, OPEN, "belgian"),
    ("216000.00", None, OPEN, "european"),
    ("216000.00", OPEN, OPEN, "european"),
])
def test_advice_followed_or_stricter_accepted(round_, value, requested, procedure, publication):
    ready_at(round_, value)
    tender = create_tender(round_, procedure=requested)
    assert (tender.procedure, tender.publication) == (procedure, publication)
    assert tender.estimated_value == Decimal(value)
    assert round_.refresh().state == InitiativeState.TENDERING


@pytest.mark.parametrize("value, requested, threshold", [
    ("30000.00", INVOICE, "30.000,00 €"),
    ("139999.99", INVOICE, "30.000,00 €"),
    ("140000.00", NEGOTIATED, "140.000,00 €"),
    ("140000.00", INVOICE, "140.000,00 €"),
    ("216000.00", NEGOTIATED, "140.000,00 €"),
])
def test_a_less_strict_procedure_is_refused_naming_the_threshold_and_the_value(
    round_, unchanged, value, requested, threshold,
):
    initiative = ready_at(round_, value)
    with unchanged(initiative), pytest.raises(InvalidInput) as refused:
        create_tender(round_, procedure=requested)
    [message] = refused.value.errors["procedure"]
    amount = f"{Decimal(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"pooled value of {amount} €" in message
    assert f"threshold of {threshold}" in message
    assert "less strict" in message
    assert round_.refresh().state == InitiativeState.READY
    assert not Tender.objects.exists()


def test_the_thresholds_in_force_on_the_planned_start_decide(round_):
    """216 000 is at the European threshold of 2026–2027 but below the 221 000 of 2024–2025."""
    ready_at(round_, "216000.00", planned_procedure_start=date(2025, 10, 1))
    tender = create_tender(round_)
    assert (tender.procedure, tender.publication) == (OPEN, "belgian")


def test_the_value_is_the_frozen_demand_of_the_approved_participants(ready_round):
    tender = create_tender(ready_round)
    assert tender.estimated_value == Decimal("71490.00")
    assert (tender.advised_procedure, tender.procedure) == (NEGOTIATED, NEGOTIATED)


def test_an_unknown_procedure_is_refused(ready_round):
    with pytest.raises(InvalidInput) as refused:
        create_tender(ready_round, procedure="design_contest")
    assert "procedure" in refused.value.errors


def test_a_shared_hire_is_a_recruitment(round_, unchanged):
    initiative = make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "0.5"}]},
                            kind=InitiativeKind.SHARED_HIRE)
    with unchanged(initiative), pytest.raises(InvalidInput, match="recruitment"):
        create_tender(round_, procedure=OPEN)
    tender = create_tender(round_)
    assert (tender.procedure, tender.publication, tender.is_recruitment) == ("recruitment", "none", True)
    assert tender.bid_deadline > timezone.now()
