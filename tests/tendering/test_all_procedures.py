"""Every procedure of the Belgian act that a local government uses, with its condition (DESIGN.md §5.1): in
the advice (API) and in the tender service (so the API and the form), at the thresholds."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import InvalidInput
from procurement import selectors
from procurement.models import Initiative, InitiativeState, Item
from tendering.models import Tender

from .helpers import create_tender, make_ready

WITH_PUBLICATION, RESTRICTED = "negotiated_with_publication", "restricted"
COMPETITIVE, DIALOGUE = "competitive_negotiation", "competitive_dialogue"
ALL_PUBLISHED = [WITH_PUBLICATION, "open", RESTRICTED, COMPETITIVE, DIALOGUE]


def ready_at(round_, value: str):
    """One laptop at ``value`` (the 2026–2027 thresholds: 30 000, 140 000, EU 216 000)."""
    Item.objects.filter(pk=round_.laptop.pk).update(estimated_unit_price=Decimal(value))
    return make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "1"}]})


@pytest.mark.parametrize("value, allowed, publication", [
    ("29999.99", ["accepted_invoice", "negotiated_without_publication", *ALL_PUBLISHED], "belgian"),
    ("30000.00", ["negotiated_without_publication", *ALL_PUBLISHED], "belgian"),
    ("139999.99", ["negotiated_without_publication", *ALL_PUBLISHED], "belgian"),
    ("140000.00", ALL_PUBLISHED, "belgian"),
    ("215999.99", ALL_PUBLISHED, "belgian"),
    ("216000.00", ["open", RESTRICTED, COMPETITIVE, DIALOGUE], "european"),
])
def test_the_advice_lists_every_procedure_the_value_allows(round_, value, allowed, publication):
    initiative = ready_at(round_, value)
    found = selectors.advice_for(initiative).as_dict()["allowed_procedures"]
    assert [a["procedure"] for a in found] == allowed
    assert {a["procedure"]: a["publication"] for a in found}["open"] == publication
    conditions = {a["procedure"] for a in found if a["conditions"]}
    assert conditions == {COMPETITIVE, DIALOGUE}


def test_the_simplified_negotiated_procedure_below_the_european_threshold(round_):
    ready_at(round_, "215999.99")
    tender = create_tender(round_, procedure=WITH_PUBLICATION)
    assert (tender.procedure, tender.publication) == (WITH_PUBLICATION, "belgian")


def test_the_simplified_negotiated_procedure_is_refused_from_the_european_threshold(round_):
    initiative = ready_at(round_, "216000.00")
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, procedure=WITH_PUBLICATION)
    assert refused.value.errors == {"procedure": [
        "The simplified negotiated procedure with prior publication (art. 41) is allowed only for supplies and "
        "services below the European threshold in force on 01-03-2027; the estimated value of 216.000,00 € is "
        "not below it."]}
    assert not Tender.objects.exists()
    assert Initiative.objects.get(pk=initiative.pk).state == InitiativeState.READY


@pytest.mark.parametrize("procedure", [COMPETITIVE, DIALOGUE])
def test_negotiation_and_dialogue_need_the_case_of_art_38(round_, procedure):
    ready_at(round_, "250000.00")
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, procedure=procedure)
    assert list(refused.value.errors) == ["procedure_reason"]
    assert "only in the cases of art. 38 §1" in refused.value.errors["procedure_reason"][0]
    assert not Tender.objects.exists()
    tender = create_tender(round_, procedure=procedure,
                           procedure_reason="Art. 38 §1, 1°, b: the solution includes innovative design.")
    assert (tender.procedure, tender.publication, tender.procedure_reason) == (
        procedure, "european", "Art. 38 §1, 1°, b: the solution includes innovative design.")


def test_the_restricted_procedure_is_always_allowed(round_):
    ready_at(round_, "1000.00")
    assert (create_tender(round_, procedure=RESTRICTED).publication) == "belgian"


def test_the_api_advice_and_the_tender_form_offer_them(round_, client):
    initiative = ready_at(round_, "150000.00")
    client.force_login(round_.lead_people.procurement)
    page = client.get(reverse("tender-create", args=[initiative.pk])).content.decode()
    for label in ("simplified negotiated procedure with prior publication (art. 41)", "restricted procedure (art. 37)",
                  "competitive procedure with negotiation (art. 38)", "competitive dialogue (art. 39)"):
        assert label in page
    body = client.get(f"/api/initiatives/{initiative.pk}/").json()
    assert [a["procedure"] for a in body["procedure_advice"]["allowed_procedures"]] == ALL_PUBLISHED
