"""The demo's awarded tender: a framework contract for network equipment that went through every step, so
that the demo has a tender whose contract and award notices can be made (registered with the demo loader by
``NoticesConfig.ready``; procurement does not import the apps built on it).

A tender cannot be walked in the present: its bid deadline must lie ahead when it is published and have passed
when the bids close, and the standstill must be over before the contracts are concluded. So this scenario is
replayed in the past, day by day, with the services' clock (``django.utils.timezone.now``, which every guard,
service and ``auto_now`` field reads) set to each moment: the audit trail shows the real sequence of events,
ending about three weeks before the demo is loaded. Nothing sets a state field.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from procurement import services
from procurement.demo.initiatives import BRUSSELS
from procurement.models import Initiative, InitiativeKind, LegalBasis, Unit
from tendering import services as tendering
from tendering.models import Supplier

NETWORK_TITLE = "Raamcontract netwerkapparatuur Scheldeland"

# The demo's suppliers (fictitious companies; valid enterprise numbers).
SUPPLIERS = [
    ("NetLink Vlaanderen NV", "0456.712.325", "offertes@netlink.example", "Industrieweg 12, 9032 Gent"),
    ("Connectis BV", "0441.238.944", "tenders@connectis.example", "Kortrijksesteenweg 200, 8530 Harelbeke"),
    ("Wifi Partners NV", "0887.654.324", "sales@wifipartners.example", "Brusselsesteenweg 45, 9230 Wetteren"),
]


class _Replay:
    """The clock of the replay: ``at(days, hour)`` moves it to that moment after the start."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.now = start

    def moment(self, days: int, hour: int = 10) -> datetime:
        day = (self.start + timedelta(days=days)).astimezone(BRUSSELS).date()
        return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS)

    def at(self, days: int, hour: int = 10) -> datetime:
        self.now = self.moment(days, hour)
        return self.now


@contextmanager
def _replayed(start: datetime) -> Iterator[_Replay]:
    replay = _Replay(start)
    with mock.patch.object(timezone, "now", lambda: replay.now):
        yield replay


def _suppliers(actor) -> list[Supplier]:
    made = []
    for name, number, email, address in SUPPLIERS:
        supplier = Supplier.objects.filter(enterprise_number=number).first()
        if supplier is None:
            supplier = tendering.supplier_register(actor=actor, name=name, enterprise_number=number, email=email,
                                                  address=address)
        made.append(supplier)
    return made


def build(b) -> Initiative:
    """Destelbergen, as central purchasing body, concludes a four-year framework agreement for switches and
    wifi for six organisations of the circle; the procedure (European publication) ended three weeks ago."""
    d = b.d
    lead = d.person("procurement", "Destelbergen")
    with _replayed(b.now - timedelta(days=110)) as clock:
        clock.at(0, 9)
        initiative = services.initiative_create(
            actor=lead, kind=InitiativeKind.FRAMEWORK_CONTRACT, title=NETWORK_TITLE,
            description=(
                "Raamovereenkomst voor netwerkswitches en wifi-toegangspunten met installatie, voor vier jaar. "
                "Destelbergen treedt op als aankoopcentrale voor de besturen van de kenniskring Scheldeland; "
                "elke deelnemer bestelt af tot de maximale hoeveelheden die hij opgaf."
            ),
            lead_organisation=d.org("Destelbergen"), legal_basis=LegalBasis.CENTRAL_PURCHASING_BODY,
            circles=[d.circles["Scheldeland"]],
            demand_deadline=clock.moment(14, 17), decision_deadline=clock.moment(28, 17),
            planned_procedure_start=clock.moment(30).date(), framework_term_months=48, renewals=0,
        )
        items = b.items(initiative, lead, [
            ("Switches", "Beheerbare netwerkswitches voor de gebouwen van de besturen.", [
                {"name": "Switch 48 poorten PoE+", "unit": Unit.PIECE, "estimated_unit_price": Decimal("2400.00"),
                 "cpv_code": "32420000-3",
                 "specification": "48 × 1 Gbit/s PoE+, 4 × 10 Gbit/s SFP+, stapelbaar, 5 jaar garantie."},
                {"name": "Switch 24 poorten PoE+", "unit": Unit.PIECE, "estimated_unit_price": Decimal("1350.00"),
                 "cpv_code": "32420000-3", "specification": "24 × 1 Gbit/s PoE+, 4 × 10 Gbit/s SFP+."},
            ]),
            ("Wifi", "Wifi-toegangspunten met plaatsing en centrale beheersoftware.", [
                {"name": "Wifi-toegangspunt wifi 6E", "unit": Unit.PIECE, "estimated_unit_price": Decimal("520.00"),
                 "cpv_code": "32422000-7", "specification": "Wifi 6E, PoE+, centrale cloudbeheerlicentie 5 jaar."},
                {"name": "Plaatsing toegangspunt", "unit": Unit.PIECE, "estimated_unit_price": Decimal("140.00"),
                 "cpv_code": "51611100-9", "specification": "Bekabeling tot 30 m, montage en configuratie."},
            ]),
        ])
        s48, s24, ap, fit = (items[n] for n in (
            "Switch 48 poorten PoE+", "Switch 24 poorten PoE+", "Wifi-toegangspunt wifi 6E", "Plaatsing toegangspunt"))
        initiative = services.initiative_open_pooling(initiative=initiative, actor=lead)
        D = Decimal
        clock.at(3)
        demand = {
            "Destelbergen": {s48: (D(12), D(20)), s24: (D(10), D(16)), ap: (D(60), D(90)), fit: (D(60), D(90))},
            "Wetteren": {s48: (D(10), D(16)), s24: (D(8), D(12)), ap: (D(45), D(70)), fit: (D(45), D(70))},
            "Laarne": {s48: (D(4), D(6)), s24: (D(4), D(6)), ap: (D(20), D(30)), fit: (D(20), D(30))},
            "Lochristi": {s48: (D(8), D(12)), s24: (D(6), D(10)), ap: (D(40), D(60)), fit: (D(40), D(60))},
            "Zele": {s48: (D(6), D(10)), s24: (D(6), D(8)), ap: (D(30), D(45)), fit: (D(30), D(45))},
        }
        joined = {m: b.take_part(initiative, m, lines) for m, lines in demand.items()}
        clock.at(10)
        for municipality, participation in joined.items():
            b.today = clock.now.date()
            b.approve(participation, municipality)
        clock.at(15)
        initiative = services.initiative_close_pooling(initiative=initiative, actor=lead)
        initiative = services.initiative_confirm_participants(initiative=initiative, actor=lead)

        clock.at(30)
        tender = tendering.tender_create(
            initiative=initiative, actor=lead, bid_deadline=clock.moment(66, 11),
            award_criteria=[{"name": "Prijs", "weight": 60, "is_price": True},
                            {"name": "Kwaliteit en garantie", "weight": 30, "is_price": False},
                            {"name": "Dienstverlening en beheer", "weight": 10, "is_price": False}],
        )
        clock.at(31)
        tender = tendering.tender_publish(tender=tender, actor=lead,
                                         publication_reference=f"BDA-{clock.now:%Y}-531207")
        netlink, connectis, wifi = _suppliers(lead)
        quality = {c.name: c.pk for c in tender.criteria.filter(is_price=False)}

        def bid(supplier, lot_number, prices, scores):
            lot = initiative.lots.get(number=lot_number)
            return tendering.bid_submit(
                tender=tender, actor=lead, lot=lot, supplier=supplier,
                unit_prices=[{"item": item.pk, "unit_price": str(price)} for item, price in prices],
                quality_scores=[{"criterion": quality[name], "score": score} for name, score in scores.items()])

        clock.at(60)
        a = bid(netlink, 1, [(s48, "2250.00"), (s24, "1290.00")],
                {"Kwaliteit en garantie": 26, "Dienstverlening en beheer": 8})
        bid(connectis, 1, [(s48, "2190.00"), (s24, "1340.00")],
            {"Kwaliteit en garantie": 21, "Dienstverlening en beheer": 7})
        c = bid(wifi, 2, [(ap, "489.00"), (fit, "125.00")],
                {"Kwaliteit en garantie": 27, "Dienstverlening en beheer": 9})
        bid(netlink, 2, [(ap, "505.00"), (fit, "150.00")],
            {"Kwaliteit en garantie": 24, "Dienstverlening en beheer": 8})
        clock.at(66, 14)
        tender = tendering.tender_close_bids(tender=tender, actor=lead)
        clock.at(70)
        tender = tendering.tender_evaluate(tender=tender, actor=lead)
        clock.at(72)
        tender = tendering.tender_award(tender=tender, actor=lead,
                                       awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
        clock.at(89)
        tendering.tender_conclude(tender=tender, actor=lead)
    b.today = b.now.astimezone(BRUSSELS).date()
    initiative.refresh_from_db()
    return initiative
