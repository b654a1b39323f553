"""The demo scenario that spans every app (``settings.DEMO_SCENARIOS`` names it; ``config`` wires the apps, so it
may call the services of all of them, which none of the apps may do for the others): a framework
agreement for network equipment that Roeselare tendered for the knowledge circle Midwest, concluded weeks ago,
with call-offs of several participants. Played in the past (``procurement.demo.history``) through the services,
step by step as the people would take them: pooling, decisions, tender, bids, evaluation, award, standstill,
conclusion, call-offs. Izegem, Ingelmunster and Lichtervelde can order more from their dashboards."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from contracts import services
from contracts.models import Contract
from procurement import services as procurement
from procurement.demo.history import history
from procurement.demo.initiatives import BRUSSELS, _Builder, at_five_pm
from procurement.models import Initiative, InitiativeKind, LegalBasis, Unit
from tendering import services as tendering
from tendering.models import Supplier

NETWORK_TITLE = "Raamcontract netwerkswitches en wifi"
# Invented suppliers; their enterprise numbers are valid (mod 97) but made up for the demo.
SUPPLIERS = [
    ("Netwerkhuis Demo NV", "0432.123.419", "offertes@netwerkhuis.example"),
    ("Switch & Co Demo BV", "0456.789.133", "verkoop@switchenco.example"),
]


def _supplier(actor, name: str, number: str, email: str) -> Supplier:
    existing = Supplier.objects.filter(enterprise_number=number.replace(".", "")).first() or \
        Supplier.objects.filter(name=name).first()
    return existing or tendering.supplier_register(actor=actor, name=name, enterprise_number=number, email=email)


def network_framework(b: _Builder) -> Initiative:
    d = b.d
    lead = d.person("procurement", "Roeselare")
    with history(b.now - timedelta(days=120)) as clock:
        past = _Builder(d, clock.now)
        initiative = procurement.initiative_create(
            actor=lead, kind=InitiativeKind.FRAMEWORK_CONTRACT, title=NETWORK_TITLE,
            description=(
                "Raamovereenkomst voor netwerkswitches en wifi-toegangspunten, met installatie en vijf jaar "
                "garantie. Roeselare is aankoopcentrale voor de besturen van de kenniskring Midwest; elke "
                "deelnemer bestelt af wanneer een gebouw aan de beurt is, tot zijn eigen maximum."
            ),
            lead_organisation=d.org("Roeselare"), legal_basis=LegalBasis.CENTRAL_PURCHASING_BODY,
            circles=[d.circles["Midwest"]],
            demand_deadline=at_five_pm(clock.now, days=14), decision_deadline=at_five_pm(clock.now, days=35),
            planned_procedure_start=past.today + timedelta(days=40), framework_term_months=24, renewals=1,
        )
        items = past.items(initiative, lead, [
            ("Netwerkapparatuur", "Switches en wifi-toegangspunten voor de administratieve gebouwen.", [
                {"name": "Switch 24 poorten PoE+", "unit": Unit.PIECE, "estimated_unit_price": Decimal("1450.00"),
                 "cpv_code": "32422000-7",
                 "specification": "24 × 1 Gbit/s PoE+ (370 W), 4 × 10 Gbit/s SFP+, beheer in de cloud."},
                {"name": "Wifi-toegangspunt wifi 6E", "unit": Unit.PIECE, "estimated_unit_price": Decimal("380.00"),
                 "cpv_code": "32420000-3", "specification": "Wifi 6E, PoE-gevoed, plafondmontage inbegrepen."},
            ]),
        ])
        switch, access_point = items["Switch 24 poorten PoE+"], items["Wifi-toegangspunt wifi 6E"]
        initiative = procurement.initiative_open_pooling(initiative=initiative, actor=lead)
        D = Decimal
        for municipality, switches, points in (("Roeselare", (D(10), D(14)), (D(30), D(40))),
                                                ("Izegem", (D(6), D(8)), (D(12), D(16))),
                                                ("Ingelmunster", (D(2), D(3)), (D(6), D(8))),
                                                ("Lichtervelde", (D(2), D(2)), (D(4), D(6)))):
            participation = past.take_part(initiative, municipality, {switch: switches, access_point: points})
            past.approve(participation, municipality)
        clock.advance(days=15)
        initiative = procurement.initiative_close_pooling(initiative=initiative, actor=lead)
        initiative = procurement.initiative_confirm_participants(initiative=initiative, actor=lead)

        clock.advance(days=30)
        deadline = datetime.combine(clock.now.astimezone(BRUSSELS).date() + timedelta(days=21), time(11, 0),
                                    tzinfo=BRUSSELS)
        tender = tendering.tender_create(initiative=initiative, actor=lead, bid_deadline=deadline, award_criteria=[
            {"name": "Prijs", "weight": 70, "is_price": True}, {"name": "Kwaliteit en service", "weight": 30}])
        tender = tendering.tender_publish(tender=tender, actor=lead, publication_reference="UITNODIGING-2026-017")
        quality = tender.criteria.get(is_price=False)
        lot = initiative.lots.get(number=1)
        clock.advance(days=12)
        bids = []
        for (name, number, email), (switch_price, point_price), score in zip(
                SUPPLIERS, (("1320.00", "349.00"), ("1395.00", "329.00")), (26, 21), strict=True):
            supplier = _supplier(lead, name, number, email)
            bids.append(tendering.bid_submit(
                tender=tender, actor=lead, lot=lot, supplier=supplier,
                unit_prices=[{"item": switch.pk, "unit_price": switch_price},
                             {"item": access_point.pk, "unit_price": point_price}],
                quality_scores=[{"criterion": quality.pk, "score": score}]))
        clock.set(deadline + timedelta(hours=1))
        tender = tendering.tender_close_bids(tender=tender, actor=lead)
        tender = tendering.tender_evaluate(tender=tender, actor=lead)
        clock.advance(days=3)
        best = min(bids, key=lambda bid: bid.total)
        tender = tendering.tender_award(tender=tender, actor=lead, awards=[{"lot": lot.pk, "bid": best.pk}])
        tender.refresh_from_db()
        clock.set(tender.standstill_ends + timedelta(hours=20))
        tendering.tender_conclude(tender=tender, actor=lead)
        contract = Contract.objects.get(initiative=initiative, lot=lot)

        # Call-offs of several participants: Roeselare and Izegem ordered (Roeselare's is delivered),
        # Ingelmunster prepared one that it has not ordered yet.
        clock.advance(days=9)
        for municipality, quantities, deliver in (("Roeselare", {switch: "4", access_point: "12"}, True),
                                                   ("Izegem", {switch: "2", access_point: "5"}, False)):
            ict = d.person("ict", municipality)
            call_off = services.call_off_create(
                contract=contract, actor=ict, organisation=d.org(municipality),
                lines=[{"item": item.pk, "quantity": quantity} for item, quantity in quantities.items()])
            call_off = services.call_off_order(call_off=call_off, actor=ict)
            if deliver:
                clock.advance(days=6)
                services.call_off_deliver(call_off=call_off, actor=ict)
        clock.advance(days=2)
        services.call_off_create(contract=contract, actor=d.person("ict", "Ingelmunster"),
                                 organisation=d.org("Ingelmunster"), lines=[{"item": access_point.pk, "quantity": "3"}])
    initiative.refresh_from_db()
    return initiative
