"""The three kinds of round taken to `active` through the services, for the document tests:

- ``joint_purchase``: Wetteren, Laarne and the lead (Destelbergen) approved, a tender with price, quality and
  service, two bids per lot (one of them irregular in lot 2), awarded and concluded;
- ``framework``: the contracts' framework agreement (``tests/contracts/helpers.py``) and an ordered call-off;
- ``shared_hire``: a GIS coordinator shared by Wetteren, Laarne and the lead (0,5 / 0,3 / 0,2 FTE).

Every function returns the ``Scenario``: the initiative and the subjects of each document kind.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from contracts import services as contract_services
from contracts.models import Contract
from procurement.models import InitiativeKind, Participation
from tendering import services
from tendering.models import Supplier
from tests import factories as f
from tests.contracts.helpers import framework_agreement, shared_hire
from tests.tendering.helpers import CRITERIA, create_tender, make_ready


@dataclass
class Scenario:
    kind: str
    round_: object
    subjects: dict = field(default_factory=dict)  # document kind -> subject id

    @property
    def initiative(self):
        return self.round_.refresh()


def _participations(round_) -> dict:
    return {p.organisation_id: p for p in Participation.objects.filter(initiative=round_.initiative)}


def joint_purchase(round_, clock) -> Scenario:
    make_ready(round_, {
        "wetteren": [{"item": round_.laptop.pk, "quantity": "40"}, {"item": round_.dock.pk, "quantity": "40"},
                     {"item": round_.monitor.pk, "quantity": "12"}],
        "laarne": [{"item": round_.laptop.pk, "quantity": "25"}, {"item": round_.dock.pk, "quantity": "10"},
                   {"item": round_.monitor.pk, "quantity": "7"}],
        "lead": [{"item": round_.laptop.pk, "quantity": "3"}],
    }, kind=InitiativeKind.JOINT_PURCHASE)
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_, criteria=CRITERIA)
    services.tender_publish(tender=tender, actor=officer, publication_reference="BE-2026-1")
    bechtle = Supplier.objects.create(name="Bechtle", enterprise_number=f.kbo(3))
    realdolmen = Supplier.objects.create(name="Realdolmen", enterprise_number=f.kbo(4))
    quality, service = (c.pk for c in tender.criteria.filter(is_price=False).order_by("position"))
    bids = {}
    for lot in round_.initiative.lots.order_by("number"):
        for supplier, factor, marks, regular in ((bechtle, Decimal("0.97"), ("24.5", "8"), True),
                                                 (realdolmen, Decimal("1.04"), ("27", "9.25"), lot.number == 1)):
            bid = services.bid_submit(
                tender=tender, actor=officer, lot=lot, supplier=supplier,
                unit_prices=[{"item": item.pk, "unit_price": str((item.estimated_unit_price * factor).quantize(
                    Decimal("0.01")))} for item in lot.items.all()],
                quality_scores=[{"criterion": quality, "score": marks[0]}, {"criterion": service, "score": marks[1]}],
                regular=regular, irregular_reason="" if regular else "Geen technische fiche voor het scherm.")
            bids.setdefault(lot.pk, bid)
    clock.set(tender.bid_deadline + timedelta(seconds=1))
    services.tender_close_bids(tender=tender, actor=officer)
    services.tender_evaluate(tender=tender, actor=officer)
    services.tender_award(tender=tender, actor=officer, awards=[{"lot": lot, "bid": bid.pk} for lot, bid in bids.items()])
    tender.refresh_from_db()
    clock.set(tender.standstill_ends + timedelta(minutes=1))
    services.tender_conclude(tender=tender, actor=officer)
    mine = _participations(round_)
    return Scenario("joint_purchase", round_, {
        "participation_decision": mine[round_.wetteren.pk].pk,
        "participation_decision_lead": mine[round_.lead.pk].pk,
    })


def framework(round_, clock) -> Scenario:
    agreement = framework_agreement(round_, clock)
    ict = round_.wetteren_people.ict
    call_off = contract_services.call_off_create(
        contract=agreement, actor=ict, organisation=round_.wetteren,
        delivery_address="Stadhuis, Markt 1, 9230 Wetteren",
        lines=[{"item": round_.laptop.pk, "quantity": "3"}, {"item": round_.dock.pk, "quantity": "2"}])
    contract_services.call_off_order(call_off=call_off, actor=ict, delivery_date=timezone.localdate() + timedelta(days=20))
    mine = _participations(round_)
    return Scenario("framework_contract", round_, {
        "participation_decision": mine[round_.wetteren.pk].pk, "call_off_order": call_off.pk,
    })


def shared(round_, clock) -> Scenario:
    contract = shared_hire(round_, clock, {"wetteren": "0.5", "laarne": "0.3", "lead": "0.2"}, start=date(2027, 1, 1))
    mine = _participations(round_)
    return Scenario("shared_hire", round_, {
        "participation_decision": mine[round_.wetteren.pk].pk,
        "participation_decision_lead": mine[round_.lead.pk].pk,
        "cost_sharing_agreement": Contract.objects.get(pk=contract.pk).pk,
    })


BUILDERS = {"joint_purchase": joint_purchase, "framework_contract": framework, "shared_hire": shared}
