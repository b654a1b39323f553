"""The estimated value of a contract as the law defines it, and the legal limits on a framework's term.

KB plaatsing klassieke sectoren 18 april 2017, art. 7: the estimated value is the total amount payable
excl. VAT, including every option and every renewal; for a framework agreement it is the maximum value of
all contracts envisaged over the total term. Here: the counted demand of all lots and all participants (for
a framework the maximum quantities over the initial term), plus one repetition of that demand per renewal
(a renewal repeats the initial term: ``contracts.services.agreement_renew`` renews by the initial term by
default), rounded to the cent once.

Wet 17 juni 2016, art. 43 §1: a framework agreement runs at most four years, renewals included, except in
duly justified exceptional cases (the initiative's ``term_exception_reason``).

Pure functions: no database, so every boundary is easy to test.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import cents

VALUE_SOURCE = "art. 7 KB plaatsing 18 april 2017"
FRAMEWORK_MAX_MONTHS = 48
TERM_SOURCE = "art. 43 §1 Wet 17 juni 2016"


@dataclass(frozen=True)
class EstimatedValue:
    """The estimated value (``total``) and what it is made of; ``demand + renewals_value == total``."""

    demand: Decimal  # the counted demand of all lots and participants over the initial term, to the cent
    renewals: int
    renewals_value: Decimal  # what the renewals add
    total: Decimal  # the estimated value that decides the procedure

    def as_dict(self) -> dict:
        return {"demand": f"{self.demand:.2f}", "renewals": self.renewals,
                "renewals_value": f"{self.renewals_value:.2f}", "total": f"{self.total:.2f}"}


def estimate(*, demand: Decimal, renewals: int) -> EstimatedValue:
    """``demand`` is the exact (unrounded) value of the counted demand over the initial term."""
    renewals = max(int(renewals or 0), 0)
    total = cents(Decimal(demand) * (1 + renewals))
    rounded = cents(demand)
    return EstimatedValue(demand=rounded, renewals=renewals, renewals_value=total - rounded, total=total)


def total_term_months(*, term_months: int | None, renewals: int, renewal_months: int | None = None) -> int | None:
    """The longest the contract can run: the initial term plus every renewal (by default as long as the
    initial term). None without a term."""
    if not term_months:
        return None
    return term_months + max(int(renewals or 0), 0) * (renewal_months or term_months)


def exceeds_framework_cap(*, term_months: int | None, renewals: int, renewal_months: int | None = None) -> bool:
    total = total_term_months(term_months=term_months, renewals=renewals, renewal_months=renewal_months)
    return total is not None and total > FRAMEWORK_MAX_MONTHS


def framework_term_refusal(
    *, is_framework: bool, term_months: int | None, renewals: int, exception_reason: str = "",
    renewal_months: int | None = None,
) -> str | None:
    """Why a framework's term (with its renewals) is not allowed, or None: more than four years without a
    recorded justification (art. 43 §1 Wet 17 juni 2016)."""
    if not is_framework or (exception_reason or "").strip():
        return None
    if not exceeds_framework_cap(term_months=term_months, renewals=renewals, renewal_months=renewal_months):
        return None
    return _(
        "A framework agreement runs at most %(max)s months, renewals included (%(source)s); %(term)s months with "
        "%(renewals)s renewal(s) is %(total)s months. Shorten the term or the renewals, or record why this "
        "exceptional case needs a longer term (justification for a framework term beyond four years)."
    ) % {"max": FRAMEWORK_MAX_MONTHS, "source": TERM_SOURCE, "term": term_months, "renewals": renewals,
         "total": total_term_months(term_months=term_months, renewals=renewals, renewal_months=renewal_months)}


def framework_term_warnings(
    *, is_framework: bool, term_months: int | None, renewals: int, exception_reason: str = ""
) -> list[str]:
    """What the advice warns about a framework's term: beyond four years on a recorded justification."""
    if not is_framework or not exceeds_framework_cap(term_months=term_months, renewals=renewals):
        return []
    return [_(
        "The framework runs %(total)s months with its renewals, beyond the %(max)s months of %(source)s, on the "
        "justification recorded: \u201c%(reason)s\u201d. Only a duly justified exceptional case allows this; "
        "the justification must be in the procurement documents."
    ) % {"total": total_term_months(term_months=term_months, renewals=renewals), "max": FRAMEWORK_MAX_MONTHS,
         "source": TERM_SOURCE, "reason": exception_reason.strip()}]
