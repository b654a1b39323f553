"""Every award procedure of the Belgian act that a local government uses, with the condition the advice and
the tender service check (DESIGN.md §5.1). Pure: a value and the thresholds in force in, the procedures that
value allows out, each with its publication and, where the act asks one, the reason to record.

Sources (Wet 17 juni 2016 inzake overheidsopdrachten): art. 92 (accepted invoice), art. 42 §1, 1°, a
(negotiated procedure without prior publication), art. 41 (simplified negotiated procedure with prior
publication, supplies and services below the European threshold), art. 36 (open), art. 37 (restricted),
art. 38 (competitive procedure with negotiation) and art. 39 (competitive dialogue), the last two only in the
cases of art. 38 §1 (the need cannot be met without adapting readily available solutions; design or
innovative solutions; negotiation needed because of the nature, complexity, legal or financial make-up or
risks; the technical specifications cannot be set precisely enough; or only irregular or unacceptable bids
in an open or restricted procedure).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procurement import advice

RESTRICTED = "restricted"
NEGOTIATED_WITH_PUBLICATION = "negotiated_with_publication"
COMPETITIVE_NEGOTIATION = "competitive_negotiation"
COMPETITIVE_DIALOGUE = "competitive_dialogue"

# The name of each procedure, with its article; ``tendering.models.Procedure`` takes its choices from here.
LABELS = {
    advice.ACCEPTED_INVOICE: _("accepted invoice (contract of limited value, art. 92)"),
    advice.NEGOTIATED_WITHOUT_PUBLICATION: _("negotiated procedure without prior publication (art. 42 §1, 1°, a)"),
    NEGOTIATED_WITH_PUBLICATION: _("simplified negotiated procedure with prior publication (art. 41)"),
    advice.OPEN: _("open procedure (art. 36)"),
    RESTRICTED: _("restricted procedure (art. 37)"),
    COMPETITIVE_NEGOTIATION: _("competitive procedure with negotiation (art. 38)"),
    COMPETITIVE_DIALOGUE: _("competitive dialogue (art. 39)"),
}

ART_38_CONDITIONS = _(
    "only in the cases of art. 38 §1: the need cannot be met without adapting readily available solutions; the "
    "contract includes design or innovative solutions; negotiation is needed because of its nature, complexity, "
    "legal or financial make-up or risks; the technical specifications cannot be set precisely enough; or an "
    "open or restricted procedure brought only irregular or unacceptable bids. Record which case applies and why."
)


@dataclass(frozen=True)
class ProcedureRule:
    code: str
    below: str | None = None  # the threshold kind the estimated value must stay below
    publication: str | None = None  # fixed publication; None: Belgian below the EU threshold, else European
    conditions: str = ""  # a reason the tender must record; empty: none


CATALOGUE = [
    ProcedureRule(advice.ACCEPTED_INVOICE, below="accepted_invoice", publication=advice.PUBLICATION_NONE),
    ProcedureRule(advice.NEGOTIATED_WITHOUT_PUBLICATION, below="negotiated_without_publication",
                  publication=advice.PUBLICATION_NONE),
    ProcedureRule(NEGOTIATED_WITH_PUBLICATION, below="eu_supplies_services", publication=advice.PUBLICATION_BELGIAN),
    ProcedureRule(advice.OPEN),
    ProcedureRule(RESTRICTED),
    ProcedureRule(COMPETITIVE_NEGOTIATION, conditions=ART_38_CONDITIONS),
    ProcedureRule(COMPETITIVE_DIALOGUE, conditions=ART_38_CONDITIONS),
]
BY_CODE = {rule.code: rule for rule in CATALOGUE}


@dataclass(frozen=True)
class Allowed:
    code: str
    label: str
    publication: str
    conditions: str

    def as_dict(self) -> dict:
        return {"procedure": self.code, "label": str(self.label), "publication": self.publication,
                "conditions": str(self.conditions)}


def allowed_procedures(*, value: Decimal, thresholds: dict) -> list[Allowed]:
    """The procedures ``value`` allows with the thresholds in force (``selectors.thresholds_in_force``). A
    procedure bounded by a missing threshold is left out (the strictest ones stay)."""
    european = thresholds.get("eu_supplies_services")
    above_eu = european is None or value >= european.amount
    allowed = []
    for rule in CATALOGUE:
        if rule.below is not None:
            bound = thresholds.get(rule.below)
            if bound is None or value >= bound.amount:
                continue
        publication = rule.publication or (advice.PUBLICATION_EUROPEAN if above_eu else advice.PUBLICATION_BELGIAN)
        allowed.append(Allowed(rule.code, LABELS[rule.code], publication, rule.conditions))
    return allowed


def allowed_text(allowed: list[Allowed]) -> str:
    """The sentence of the advice that lists the procedures the value allows."""
    plain = [str(a.label) for a in allowed if not a.conditions]
    conditional = [str(a.label) for a in allowed if a.conditions]
    text = gettext("Procedures this estimated value allows: %(procedures)s.") % {"procedures": "; ".join(plain)}
    if conditional:
        text += " " + gettext("Only in the cases of art. 38 §1, with the case recorded: %(procedures)s.") % {
            "procedures": "; ".join(conditional)}
    return text
