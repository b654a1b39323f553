"""What a lifecycle transition of an initiative will do to the participations, shown on its confirmation page
before the officer clicks: who drops out (lapses) with the value of its demand, who stays. Read only; the
services decide. (Issue 17: "one click lapsed 73 200 € of Lochristi's demand" without saying so.)"""

from dataclasses import dataclass, field
from decimal import Decimal

from procurement import selectors
from procurement.models import Initiative, ParticipationState

P = ParticipationState


@dataclass
class Group:
    participations: list = field(default_factory=list)  # (participation, value excl. VAT)

    @property
    def value(self) -> Decimal:
        return sum((value for _p, value in self.participations), Decimal("0.00"))

    def __bool__(self) -> bool:
        return bool(self.participations)


@dataclass
class Consequences:
    lapse: Group  # drop out at this step
    at_risk: Group  # drop out at the next step unless something happens (a draft when pooling closes)
    waiting: Group  # submitted, still waiting for the alderman's decision
    stay: Group  # take part from here on


def consequences(initiative: Initiative, name: str) -> Consequences | None:
    """For ``close_pooling`` and ``confirm_participants``: the participations grouped by what happens to them."""
    if name not in ("close_pooling", "confirm_participants"):
        return None
    participations = list(initiative.participations.filter(state__in=[P.DRAFT, P.SUBMITTED, P.APPROVED])
                          .select_related("organisation").order_by("organisation__name"))
    values = selectors.demand_totals(initiative, states=(P.DRAFT, P.SUBMITTED, P.APPROVED)).subtotals
    result = Consequences(Group(), Group(), Group(), Group())
    for participation in participations:
        entry = (participation, values.get(participation.pk, Decimal("0.00")))
        if participation.state == P.APPROVED:
            result.stay.participations.append(entry)
        elif name == "confirm_participants":
            result.lapse.participations.append(entry)
        elif participation.state == P.DRAFT:
            result.at_risk.participations.append(entry)
        else:
            result.waiting.participations.append(entry)
    return result
