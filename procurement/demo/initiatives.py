"""The demo initiatives, each walked through the services the way the people would walk it.

Nothing here sets a state field: every step is a service call by the person whose role allows it, so the
audit log, the notifications and the human tasks are those of a real round. Deadlines lie in the future
relative to ``now`` (the services refuse past ones); an initiative that must be past pooling is closed
manually before its deadline, which the lifecycle allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from procurement import services
from procurement.models import (
    Initiative,
    InitiativeKind,
    Item,
    LegalBasis,
    OrganisationKind,
    Participation,
    Unit,
)

from .people import Directory

BRUSSELS = ZoneInfo("Europe/Brussels")

IDEA_TITLE = "Gedeelde informatieveiligheidsconsulent"
LAPTOPS_TITLE = "Samenaankoop laptops en schermen"
PRINTERS_TITLE = "Raamcontract printers en multifunctionals"
GIS_TITLE = "Gedeelde GIS-coördinator Midwest"


@dataclass
class InitiativeOutcome:
    title: str
    state: str
    created: bool


def at_five_pm(now: datetime, *, days: int) -> datetime:
    """17:00 Brussels time, ``days`` days after today (Brussels): how deadlines are set in practice."""
    today = now.astimezone(BRUSSELS).date()
    return datetime.combine(today + timedelta(days=days), time(17, 0), tzinfo=BRUSSELS)


class _Builder:
    """Shared steps for the scenarios; ``d`` finds the people and organisations."""

    def __init__(self, d: Directory, now: datetime) -> None:
        self.d = d
        self.now = now
        self.today: date = now.astimezone(BRUSSELS).date()
        self._decisions = 0

    def items(self, initiative: Initiative, actor, lots: list[tuple[str, str, list[dict]]]) -> dict[str, Item]:
        """Add lots (title, description, items) and return the items by name."""
        made: dict[str, Item] = {}
        for number, (title, description, items) in enumerate(lots, start=1):
            lot = services.lot_add(initiative=initiative, actor=actor, number=number, title=title,
                                   description=description)
            for spec in items:
                item = services.item_add(initiative=initiative, actor=actor, lot=lot, **spec)
                made[item.name] = item
        return made

    def take_part(
        self, initiative: Initiative, municipality: str, demand: dict[Item, Decimal | tuple[Decimal, Decimal]],
        *, ocmw: bool = False, submit: bool = True,
    ) -> Participation:
        """The ICT officer joins for the municipality (or its OCMW), enters the demand, maybe submits.
        A demand value is a quantity, or (quantity, maximum quantity over the term) for a framework."""
        ict = self.d.person("ict", municipality)
        organisation = self.d.ocmw(municipality) if ocmw else self.d.org(municipality)
        participation = services.participation_join(initiative=initiative, actor=ict, organisation=organisation)
        if demand:
            lines = []
            for item, value in demand.items():
                quantity, maximum = value if isinstance(value, tuple) else (value, None)
                line = {"item": item.pk, "quantity": str(quantity)}
                if maximum is not None:
                    line["max_quantity"] = str(maximum)
                lines.append(line)
            participation = services.demand_set(participation=participation, actor=ict, lines=lines)
            if submit:
                participation = services.participation_submit(participation=participation, actor=ict)
        return participation

    def approve(self, participation: Participation, municipality: str) -> Participation:
        """The alderman records the decision of the college (or, for the OCMW, of the vast bureau)."""
        self._decisions += 1
        body = "VB" if participation.organisation.kind == OrganisationKind.OCMW else "CBS"
        return services.participation_approve(
            participation=participation, actor=self.d.person("alderman", municipality),
            decision_date=self.today, decision_reference=f"{self.today:%Y}_{body}_{400 + self._decisions:05d}",
        )


def _idea(b: _Builder) -> Initiative:
    """Lede's ICT officer raises it at the round table; two neighbours and Lede itself show interest."""
    d = b.d
    initiative = services.idea_propose(
        actor=d.person("ict", "Lede"), kind=InitiativeKind.SHARED_HIRE, title=IDEA_TITLE,
        description=(
            "Elk bestuur moet een informatieveiligheidsconsulent aanstellen, maar voor een kleiner bestuur "
            "is een voltijdse functie te zwaar en moeilijk in te vullen. Voorstel: samen één consulent "
            "aanwerven die de besturen van de kenniskring volgens een vaste verdeelsleutel bedient "
            "(informatieveiligheidsbeleid, risicoanalyses, opvolging van datalekken, advies bij nieuwe "
            "toepassingen)."
        ),
        circles=[d.circles["Scheldeland"]], proposing_organisation=d.org("Lede"),
    )
    for municipality, share, note in (
        ("Lede", "0.40", "Wij nemen graag het werkgeverschap op ons."),
        ("Wichelen", "0.30", "Onze huidige externe consultant stopt eind dit jaar."),
        ("Berlare", "0.30", "Interesse, onder voorbehoud van budget in de meerjarenplanning."),
    ):
        services.interest_register(initiative=initiative, actor=d.person("ict", municipality),
                                   organisation=d.org(municipality), estimated_quantity=Decimal(share), note=note)
    return initiative


def _laptops(b: _Builder) -> Initiative:
    """Destelbergen buys laptops for the circle as central purchasing body; the round is pooling.
    Wetteren and Laarne have not joined yet (the browser tests let ict.wetteren join)."""
    d = b.d
    lead = d.person("procurement", "Destelbergen")
    initiative = services.initiative_create(
        actor=lead, kind=InitiativeKind.JOINT_PURCHASE, title=LAPTOPS_TITLE,
        description=(
            "Gezamenlijke aankoop van laptops met docking station en van schermen voor de besturen van "
            "de kenniskring Scheldeland. Destelbergen treedt op als aankoopcentrale; de deelnemers zijn "
            "daardoor vrijgesteld van een eigen plaatsingsprocedure. Levering gespreid over het jaar."
        ),
        lead_organisation=d.org("Destelbergen"), legal_basis=LegalBasis.CENTRAL_PURCHASING_BODY,
        circles=[d.circles["Scheldeland"]],
        demand_deadline=at_five_pm(b.now, days=21), decision_deadline=at_five_pm(b.now, days=56),
        planned_procedure_start=b.today + timedelta(days=70),
    )
    items = b.items(initiative, lead, [
        ("Laptops en docking", "Laptops voor administratieve medewerkers, met docking station en extra lader.", [
            {"name": "Laptop 14 inch", "unit": Unit.PIECE, "estimated_unit_price": Decimal("900.00"),
             "cpv_code": "30213100-6",
             "specification": "14 inch, 16 GB RAM, 512 GB SSD, Windows 11 Pro, 4 jaar garantie op locatie."},
            {"name": "Docking station USB-C", "unit": Unit.PIECE, "estimated_unit_price": Decimal("180.00"),
             "cpv_code": "30237000-9",
             "specification": "USB-C met power delivery 90 W, 2 × DisplayPort, netwerkaansluiting."},
            {"name": "Extra lader USB-C 65 W", "unit": Unit.PIECE, "estimated_unit_price": Decimal("45.00"),
             "cpv_code": "31158000-8", "specification": "Voor thuiswerk; compatibel met de laptop."},
        ]),
        ("Schermen", "Schermen voor de werkplekken op kantoor.", [
            {"name": "Scherm 27 inch", "unit": Unit.PIECE, "estimated_unit_price": Decimal("210.00"),
             "cpv_code": "30231300-0",
             "specification": "27 inch, QHD, in hoogte verstelbaar, USB-C, energieklasse minstens E."},
        ]),
    ])
    initiative = services.initiative_open_pooling(initiative=initiative, actor=lead)
    laptop, dock, charger, screen = (items[n] for n in (
        "Laptop 14 inch", "Docking station USB-C", "Extra lader USB-C 65 W", "Scherm 27 inch"))
    own = b.take_part(initiative, "Destelbergen", {laptop: 50, dock: 50, charger: 10, screen: 30})
    b.approve(own, "Destelbergen")
    b.take_part(initiative, "Destelbergen", {laptop: 12, dock: 12}, ocmw=True)
    b.take_part(initiative, "Lochristi", {laptop: 60, dock: 60, screen: 40})
    b.take_part(initiative, "Zele", {laptop: 25, dock: 25, charger: 10}, submit=False)  # still counting
    b.take_part(initiative, "Berlare", {})  # joined, demand not entered yet
    return initiative


def _printers(b: _Builder) -> Initiative:
    """Roeselare's framework contract for printers, priced per page and per device; pooling closed,
    the colleges are deciding. Quantities are over the whole term (the maximum is what may be called off)."""
    d = b.d
    lead = d.person("procurement", "Roeselare")
    initiative = services.initiative_create(
        actor=lead, kind=InitiativeKind.FRAMEWORK_CONTRACT, title=PRINTERS_TITLE,
        description=(
            "Raamovereenkomst voor de huur van multifunctionele printers met een all-in kostprijs per "
            "afgedrukte pagina (toner, onderhoud en herstellingen inbegrepen). Roeselare is aankoopcentrale "
            "voor de besturen van de kenniskring Midwest; elke deelnemer bestelt af volgens eigen behoefte, "
            "tot de maximale hoeveelheden hieronder. Looptijd twee jaar, eenmaal verlengbaar met twee jaar: "
            "samen vier jaar, het maximum voor een raamovereenkomst (art. 43 Wet 17 juni 2016)."
        ),
        lead_organisation=d.org("Roeselare"), legal_basis=LegalBasis.CENTRAL_PURCHASING_BODY,
        circles=[d.circles["Midwest"]],
        demand_deadline=at_five_pm(b.now, days=14), decision_deadline=at_five_pm(b.now, days=49),
        planned_procedure_start=b.today + timedelta(days=60), framework_term_months=24, renewals=1,
    )
    per_page = "All-in prijs per afgedrukte A4-pagina; raming op de cent afgerond."
    items = b.items(initiative, lead, [
        ("Multifunctionele printers en afdrukken", "Huur, onderhoud en verbruik van multifunctionele printers.", [
            {"name": "Huur multifunctionele printer A4 (per toestel per jaar)", "unit": Unit.PIECE,
             "estimated_unit_price": Decimal("480.00"), "cpv_code": "30232110-8",
             "specification": "Printen, kopiëren en scannen, 35 pagina's per minuut, badgelezer. Hoeveelheid: "
                              "aantal toestellen × aantal jaren over de looptijd."},
            {"name": "Huur multifunctionele printer A3 (per toestel per jaar)", "unit": Unit.PIECE,
             "estimated_unit_price": Decimal("1150.00"), "cpv_code": "30232110-8",
             "specification": "A3 en A4, 45 pagina's per minuut, nietjes en perforatie."},
            {"name": "Afdruk zwart-wit (per pagina)", "unit": Unit.PAGE, "estimated_unit_price": Decimal("0.01"),
             "cpv_code": "50313200-4", "specification": per_page},
            {"name": "Afdruk kleur (per pagina)", "unit": Unit.PAGE, "estimated_unit_price": Decimal("0.05"),
             "cpv_code": "50313200-4", "specification": per_page},
        ]),
    ])
    initiative = services.initiative_open_pooling(initiative=initiative, actor=lead)
    a4, a3, mono, colour = (items[n] for n in (
        "Huur multifunctionele printer A4 (per toestel per jaar)",
        "Huur multifunctionele printer A3 (per toestel per jaar)",
        "Afdruk zwart-wit (per pagina)", "Afdruk kleur (per pagina)"))
    D = Decimal
    roeselare = b.take_part(initiative, "Roeselare", {
        a4: (D(20), D(28)), a3: (D(8), D(12)), mono: (D(800_000), D(1_000_000)), colour: (D(200_000), D(300_000))})
    ocmw = b.take_part(initiative, "Roeselare", {
        a4: (D(12), D(16)), mono: (D(200_000), D(260_000)), colour: (D(30_000), D(45_000))}, ocmw=True)
    izegem = b.take_part(initiative, "Izegem", {
        a4: (D(12), D(16)), a3: (D(4), D(8)), mono: (D(350_000), D(450_000)), colour: (D(80_000), D(110_000))})
    b.take_part(initiative, "Ingelmunster", {
        a4: (D(8), D(12)), mono: (D(120_000), D(160_000)), colour: (D(20_000), D(30_000))})
    b.take_part(initiative, "Lichtervelde", {
        a4: (D(8), D(12)), mono: (D(90_000), D(120_000)), colour: (D(15_000), D(20_000))})
    b.take_part(initiative, "Staden", {a4: (D(8), D(12)), mono: (D(100_000), D(130_000))}, submit=False)
    b.approve(roeselare, "Roeselare")  # the college decided before pooling closed
    initiative = services.initiative_close_pooling(initiative=initiative, actor=lead)
    b.approve(ocmw, "Roeselare")
    b.approve(izegem, "Izegem")
    return initiative


def _gis(b: _Builder) -> Initiative:
    """Five municipalities share one GIS coordinator employed by Izegem; the shares add up to one FTE.
    Hooglede joined but never submitted, so its participation lapses when the participants are confirmed."""
    d = b.d
    lead = d.person("procurement", "Izegem")
    initiative = services.initiative_create(
        actor=lead, kind=InitiativeKind.SHARED_HIRE, title=GIS_TITLE,
        description=(
            "Izegem werft een voltijdse GIS-coördinator aan die ook voor Ingelmunster, Oostrozebeke, Ardooie "
            "en Lichtervelde werkt (geoloket, GRB-bijhouding, adressenregister, omgevingsloket). De loonkost "
            "wordt verdeeld volgens het aandeel VTE van elk bestuur; elk college beslist over zijn eigen "
            "aandeel. Dit is een gedeelde aanwerving, geen overheidsopdracht."
        ),
        # The services ask a legal basis of every initiative; for a shared hire the nearest is a joint
        # undertaking in which each participant's college decides for itself.
        lead_organisation=d.org("Izegem"), legal_basis=LegalBasis.JOINT_PROCUREMENT, circles=[d.circles["Midwest"]],
        demand_deadline=at_five_pm(b.now, days=10), decision_deadline=at_five_pm(b.now, days=35),
        planned_procedure_start=b.today + timedelta(days=45),
    )
    items = b.items(initiative, lead, [
        ("GIS-coördinator", "Eén voltijdse GIS-coördinator (niveau B), gedeeld over vijf gemeenten.", [
            {"name": "GIS-coördinator", "unit": Unit.FTE, "estimated_unit_price": Decimal("95000.00"),
             "vat_rate": Decimal("0"),
             "specification": "Jaarlijkse loonkost per VTE, inclusief werkgeversbijdragen, "
                              "maaltijdcheques en hospitalisatieverzekering."},
        ]),
    ])
    gis = items["GIS-coördinator"]
    initiative = services.initiative_open_pooling(initiative=initiative, actor=lead)
    shares = {"Izegem": "0.30", "Ingelmunster": "0.20", "Oostrozebeke": "0.15", "Ardooie": "0.15",
              "Lichtervelde": "0.20"}
    for municipality, share in shares.items():
        participation = b.take_part(initiative, municipality, {gis: Decimal(share)})
        b.approve(participation, municipality)
    b.take_part(initiative, "Hooglede", {gis: Decimal("0.10")}, submit=False)
    initiative = services.initiative_close_pooling(initiative=initiative, actor=lead)
    return services.initiative_confirm_participants(initiative=initiative, actor=lead)


SCENARIOS: list[tuple[str, Callable[[_Builder], Initiative]]] = [
    (IDEA_TITLE, _idea),
    (LAPTOPS_TITLE, _laptops),
    (PRINTERS_TITLE, _printers),
    (GIS_TITLE, _gis),
]


def load_initiatives(d: Directory, *, now: datetime) -> list[InitiativeOutcome]:
    """Build every scenario whose title does not exist yet; an existing one is left as it is (people
    may have moved it on while trying the demo)."""
    builder = _Builder(d, now)
    outcomes = []
    for title, build in SCENARIOS:
        existing = Initiative.objects.filter(title=title).first()
        if existing is not None:
            outcomes.append(InitiativeOutcome(title=title, state=existing.state, created=False))
            continue
        try:
            initiative = build(builder)
        except Exception as error:  # each step committed: say what is left half-built instead of hiding it
            raise IncompleteScenario(title, error) from error
        outcomes.append(InitiativeOutcome(title=title, state=initiative.state, created=True))
    return outcomes


class IncompleteScenario(Exception):
    def __init__(self, title: str, error: Exception) -> None:
        super().__init__(
            f"Building the demo initiative {title!r} failed: {error!r}. Its completed steps are committed and "
            f"a next run leaves an existing initiative alone: start from an empty database to load it whole."
        )
        self.title = title


__all__ = ["GIS_TITLE", "IDEA_TITLE", "LAPTOPS_TITLE", "PRINTERS_TITLE", "IncompleteScenario", "InitiativeOutcome",
           "load_initiatives"]
