from .initiatives import (
    FROZEN_STATES,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Item,
    LegalBasis,
    Lot,
    Unit,
)
from .interests import Interest
from .organisations import Circle, DecidingBody, Membership, Organisation, OrganisationKind, Role
from .participations import ACTIVE_STATES, MAX_QUANTITY, DemandLine, Participation, ParticipationState
from .thresholds import Threshold, ThresholdKind
from .time_limits import BidPeriodReduction, BidTimeLimit

__all__ = [
    "ACTIVE_STATES",
    "BidPeriodReduction",
    "BidTimeLimit",
    "FROZEN_STATES",
    "MAX_QUANTITY",
    "Circle",
    "DecidingBody",
    "DemandLine",
    "Initiative",
    "Interest",
    "InitiativeKind",
    "InitiativeState",
    "Item",
    "LegalBasis",
    "Lot",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Participation",
    "ParticipationState",
    "Role",
    "Threshold",
    "ThresholdKind",
    "Unit",
]
