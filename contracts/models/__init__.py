"""The contracts' models: agreements (``agreements``), call-offs (``calloffs``), shared hires (``sharing``)."""

from .agreements import WARNING_SHARE, ZERO, Beneficiary, Contract, ContractKind, ContractLine, ContractState
from .calloffs import OPEN_STATES, CallOff, CallOffLine, CallOffState, Delivery, DeliveryLine
from .sharing import AllocationKey, CostShare, ShareBasis, SharedHire

__all__ = [
    "OPEN_STATES",
    "WARNING_SHARE",
    "ZERO",
    "AllocationKey",
    "Beneficiary",
    "CallOff",
    "CallOffLine",
    "CallOffState",
    "Contract",
    "ContractKind",
    "ContractLine",
    "ContractState",
    "CostShare",
    "Delivery",
    "DeliveryLine",
    "ShareBasis",
    "SharedHire",
]
