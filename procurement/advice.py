"""Procedure advice (DESIGN.md §5): which procedure and publication the pooled value requires.

A pure function of the value, the date the procedure starts and the threshold rows in force; it reads no
database, so it is easy to test at every boundary. Amounts below a threshold stay under it; a value equal
to a threshold is at or above it (the law speaks of "lager dan"/"below").
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core import formatting
from procurement.valuation import VALUE_SOURCE, EstimatedValue

ACCEPTED_INVOICE = "accepted_invoice"
NEGOTIATED_WITHOUT_PUBLICATION = "negotiated_without_publication"
OPEN = "open"
RECRUITMENT = "recruitment"

# From least to most strict; a tender may choose a stricter procedure than the advice, never a less strict one.
PROCEDURE_ORDER = [ACCEPTED_INVOICE, NEGOTIATED_WITHOUT_PUBLICATION, OPEN]

PUBLICATION_NONE = "none"
PUBLICATION_BELGIAN = "belgian"
PUBLICATION_EUROPEAN = "european"

NEAR_FRACTION = Decimal("0.10")


@dataclass(frozen=True)
class ThresholdInForce:
    kind: str
    amount: Decimal
    valid_from: date
    source: str = ""
    confirmed: bool = True


@dataclass
class Advice:
    procedure: str
    publication: str
    threshold: Decimal | None  # the threshold that decides this advice (the next one up, or the EU one reached)
    value: Decimal
    on: date
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    estimate: EstimatedValue | None = None  # what ``value`` is made of (demand over the term, renewals)
    allowed: list = field(default_factory=list)  # ``procedures.Allowed``: every procedure this value allows

    def as_dict(self) -> dict:
        return {
            "procedure": self.procedure,
            "publication": self.publication,
            "threshold": None if self.threshold is None else f"{self.threshold:.2f}",
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "estimated_value": None if self.estimate is None else self.estimate.as_dict(),
            "allowed_procedures": [a.as_dict() for a in self.allowed],
        }


def recruitment_advice(*, value: Decimal, on: date) -> Advice:
    return Advice(
        procedure=RECRUITMENT,
        publication=PUBLICATION_NONE,
        threshold=None,
        value=value,
        on=on,
        reasons=[
            _(
                "A shared hire is employment, not a public contract: the lead organisation recruits the "
                "employee and the participants share the cost; no procurement procedure applies."
            )
        ],
    )


def procedure_advice(
    *, value: Decimal, on: date, thresholds: dict[str, ThresholdInForce], is_framework: bool = False,
    estimate: EstimatedValue | None = None,
) -> Advice:
    """Advice for a supplies or services contract of a sub-central authority. ``value`` is the estimated
    value (``valuation.estimate``: demand over the term plus renewals); ``estimate`` says what it is made of."""
    advice = _procedure_advice(value=value, on=on, thresholds=thresholds, is_framework=is_framework)
    advice.estimate = estimate
    if estimate is not None and estimate.renewals:
        advice.reasons.insert(1, _(
            "The demand over the initial term is worth %(demand)s; with %(count)s renewal(s) of that term "
            "(%(renewals)s) the estimated value is %(value)s (%(source)s)."
        ) % {"demand": formatting.money(estimate.demand), "count": estimate.renewals,
             "renewals": formatting.money(estimate.renewals_value), "value": formatting.money(estimate.total),
             "source": VALUE_SOURCE})
    return advice


def _procedure_advice(
    *, value: Decimal, on: date, thresholds: dict[str, ThresholdInForce], is_framework: bool
) -> Advice:
    money = formatting.money
    invoice = thresholds.get("accepted_invoice")
    negotiated = thresholds.get("negotiated_without_publication")
    european = thresholds.get("eu_supplies_services")
    missing = [
        name
        for name, row in (
            ("accepted_invoice", invoice),
            ("negotiated_without_publication", negotiated),
            ("eu_supplies_services", european),
        )
        if row is None
    ]
    if missing:
        # Without the table we cannot advise less than the strictest procedure.
        return Advice(
            procedure=OPEN,
            publication=PUBLICATION_EUROPEAN,
            threshold=None,
            value=value,
            on=on,
            reasons=[_("No thresholds are in force on %(date)s for: %(kinds)s. Follow the strictest "
                       "procedure until the threshold table is completed.")
                     % {"date": on.strftime("%d-%m-%Y"), "kinds": ", ".join(missing)}],
            warnings=[_("The threshold table is incomplete; ask the functional administrator to add the "
                        "thresholds in force.")],
        )

    reasons = [
        _("The estimated value of the whole initiative counts: all lots, all participants, options and "
          "renewals together (splitting to stay under a threshold is not allowed).")
    ]
    if is_framework:
        reasons.append(_("For a framework contract the maximum quantities over the whole term count."))

    if value < invoice.amount:
        procedure, publication, decisive, passed = ACCEPTED_INVOICE, PUBLICATION_NONE, invoice, None
        reasons.append(
            _("The pooled value of %(value)s is below %(threshold)s: a contract of limited value concluded by "
              "accepted invoice (art. 92); ask several suppliers for a quote.")
            % {"value": money(value), "threshold": money(invoice.amount)}
        )
        next_up = invoice
    elif value < negotiated.amount:
        procedure, publication, decisive, passed = NEGOTIATED_WITHOUT_PUBLICATION, PUBLICATION_NONE, negotiated, invoice
        reasons.append(
            _("The pooled value of %(value)s is at least %(low)s and below %(threshold)s: a negotiated procedure "
              "without prior publication is allowed (art. 42 §1, 1°, a); consult several suppliers.")
            % {"value": money(value), "low": money(invoice.amount), "threshold": money(negotiated.amount)}
        )
        next_up = negotiated
    elif value < european.amount:
        procedure, publication, decisive, passed = OPEN, PUBLICATION_BELGIAN, european, negotiated
        reasons.append(
            _("The pooled value of %(value)s is at least %(low)s: a procedure with publication is required; "
              "below the European threshold of %(threshold)s the publication is Belgian (e-Notification, "
              "Bulletin der Aanbestedingen).")
            % {"value": money(value), "low": money(negotiated.amount), "threshold": money(european.amount)}
        )
        next_up = european
    else:
        procedure, publication, decisive, passed = OPEN, PUBLICATION_EUROPEAN, european, european
        reasons.append(
            _("The pooled value of %(value)s is at or above the European threshold of %(threshold)s: the "
              "contract must be published in the Official Journal of the EU (TED) as well.")
            % {"value": money(value), "threshold": money(european.amount)}
        )
        next_up = None

    reasons.append(
        _("Thresholds in force on %(date)s (the planned start of the procedure).") % {"date": on.strftime("%d-%m-%Y")}
    )
    warnings = []
    if next_up is not None and value >= next_up.amount * (1 - NEAR_FRACTION):
        warnings.append(
            _("The pooled value is within 10 %% of the threshold of %(threshold)s: a little more demand changes "
              "the procedure. Plan for the stricter procedure if demand may still grow.")
            % {"threshold": money(next_up.amount)}
        )
    # Both the threshold above the value and the one it reached decide the advice: at 141 000 on a day the
    # unconfirmed 140 000 is in force, that amount alone is why a publication is required.
    for row in dict.fromkeys(r for r in (passed, decisive) if r is not None):
        if not row.confirmed:
            warnings.append(
                _("The threshold of %(threshold)s in force on %(date)s is not yet confirmed in a Belgian act: "
                  "check it before starting the procedure.")
                % {"threshold": money(row.amount), "date": on.strftime("%d-%m-%Y")}
            )
    return Advice(
        procedure=procedure,
        publication=publication,
        threshold=decisive.amount,
        value=value,
        on=on,
        reasons=reasons,
        warnings=warnings,
    )


def level(advice: Advice) -> tuple[int, str]:
    """An order on advices, to tell whether a change of demand moved the value across a threshold."""
    rank = PROCEDURE_ORDER.index(advice.procedure) if advice.procedure in PROCEDURE_ORDER else -1
    return rank, advice.publication
