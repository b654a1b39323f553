"""Cost statements of a shared hire: per quarter, per participant, summing exactly to the quarter's cost.

The arithmetic is exact (``fractions.Fraction``) until the very end:

- the year's cost is the cost model's (``SharedHire``): (salary + operating costs) × (1 + indexation)^(year −
  base year) × (1 + overhead) − subsidies;
- a day costs the year's cost ÷ the days of that year (365 or 366), from the start date to the last day
  (the termination date, if any);
- each day is shared by the version of the allocation key in force that day, in proportion to the shares
  (FTE fractions or percentages);
- the quarter's cost is the exact sum rounded to the cent (half up), and it is split over the participants
  with the largest-remainder method (``core.money.allocate``): every amount is within a cent of
  the participant's exact share, and the amounts add up to the quarter's cost to the cent.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

from django.utils.translation import gettext as _

from core.money import allocate
from procurement.models import Organisation

from .models import AllocationKey, Contract, SharedHire

ZERO = Decimal("0.00")
PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """``2027-Q1`` → Quarter(2027, 1); ValueError with a message a person can act on otherwise."""
        match = PERIOD.match((text or "").strip().upper())
        if match is None or not 1900 <= int(match.group(1)) <= 2999:
            raise ValueError(_("Give a quarter as YYYY-Qn, for example 2027-Q1."))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.quarter
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> "Quarter":
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def indexation_factor(hire: SharedHire, year: int) -> Fraction:
    """(1 + indexation %)^(years after the base year); no indexation in or before the base year."""
    return (1 + Fraction(hire.indexation_percentage) / 100) ** max(year - hire.base_year, 0)


def annual_cost(hire: SharedHire, year: int) -> Fraction:
    """The position's cost for a whole ``year``, exact (never below zero)."""
    gross = (Fraction(hire.annual_salary_cost) + Fraction(hire.operating_costs)) * indexation_factor(hire, year)
    gross *= 1 + Fraction(hire.overhead_percentage) / 100
    return max(gross - Fraction(hire.subsidies), Fraction(0))


def to_cents(value: Fraction) -> Decimal:
    """Round an exact non-negative amount to the cent, half up."""
    hundredths = value * 100
    whole = (hundredths.numerator * 2 + hundredths.denominator) // (hundredths.denominator * 2)
    return (Decimal(whole) / 100).quantize(Decimal("0.01"))


def to_decimal(value: Fraction) -> Decimal:
    """An exact amount as a Decimal precise far beyond the cent (for the allocation's remainders)."""
    with localcontext() as context:
        context.prec = 60
        return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass
class Version:
    key: AllocationKey
    start: date
    end: date | None  # the day before the next version; None: still in force
    shares: list  # [(organisation, value)]


def versions(contract: Contract) -> list[Version]:
    """The allocation key's versions with the period each is in force."""
    keys = list(AllocationKey.objects.filter(contract=contract).order_by("valid_from", "version")
                .prefetch_related("shares__organisation"))
    result = []
    for i, key in enumerate(keys):
        end = keys[i + 1].valid_from - timedelta(days=1) if i + 1 < len(keys) else None
        result.append(Version(key=key, start=key.valid_from, end=end,
                              shares=[(s.organisation, s.value) for s in key.shares.all()]))
    return result


@dataclass
class StatementRow:
    organisation: Organisation
    days: int  # days of the quarter this participant shared in
    weight: Fraction  # the participant's part of the quarter's cost (0..1)
    exact: Fraction
    amount: Decimal = ZERO

    @property
    def share(self) -> Decimal:
        """The participant's part of the quarter's cost in percent, four decimals (for reading only)."""
        return (to_decimal(self.weight * 100)).quantize(Decimal("0.0001"))


@dataclass
class Statement:
    contract: Contract
    period: Quarter
    first_day: date | None  # the quarter's days the position counts (None: none)
    last_day: date | None
    days: int
    annual_cost: Fraction
    cost: Decimal
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def exact_cost(self) -> Fraction:
        return sum((row.exact for row in self.rows), Fraction(0))


def statement(contract: Contract, period: Quarter, *, key_versions: list[Version] | None = None) -> Statement:
    """The cost statement of ``period`` (a quarter) for every participant of the hire."""
    hire = contract.hire
    first = max(period.start, contract.starts_on)
    last = period.end if contract.last_day is None else min(period.end, contract.last_day)
    year_cost = annual_cost(hire, period.year)
    if first > last:
        return Statement(contract=contract, period=period, first_day=None, last_day=None, days=0,
                         annual_cost=year_cost, cost=ZERO)
    daily = year_cost / days_in_year(period.year)
    rows: dict[int, StatementRow] = {}
    counted_days = 0
    for version in key_versions if key_versions is not None else versions(contract):
        start = max(first, version.start)
        end = last if version.end is None else min(last, version.end)
        if start > end or not version.shares:
            continue
        days = (end - start).days + 1
        counted_days += days
        total = sum((Fraction(value) for _org, value in version.shares), Fraction(0))
        for organisation, value in version.shares:
            part = Fraction(value) / total
            row = rows.setdefault(organisation.pk, StatementRow(organisation=organisation, days=0, weight=Fraction(0),
                                                                exact=Fraction(0)))
            row.days += days
            row.weight += part * days
            row.exact += daily * days * part
    # Days before the first version (none: the first version starts with the contract) are shared by nobody
    # and so cost nobody anything; the cost is what the versions cover.
    cost_exact = daily * counted_days
    ordered = sorted(rows.values(), key=lambda r: (r.organisation.name, r.organisation.pk))
    for row in ordered:
        row.weight = row.weight / counted_days if counted_days else Fraction(0)
    cost = to_cents(cost_exact)
    parts = allocate(cost, [(row.organisation.pk, to_decimal(row.exact)) for row in ordered])
    for row in ordered:
        row.amount = parts[row.organisation.pk]
    return Statement(contract=contract, period=period, first_day=first, last_day=last, days=counted_days,
                     annual_cost=year_cost, cost=cost, rows=ordered)


def year_statements(contract: Contract, year: int) -> list[Statement]:
    keys = versions(contract)
    return [statement(contract, Quarter(year, q), key_versions=keys) for q in (1, 2, 3, 4)]


def years(contract: Contract, *, today: date) -> list[int]:
    """The years that have (or will have) statements: from the start to the last day, or to next year."""
    last = contract.last_day or date(max(today.year, contract.starts_on.year) + 1, 12, 31)
    return list(range(contract.starts_on.year, max(last.year, contract.starts_on.year) + 1))
