"""Who may do what with contracts and call-offs: the contracts' own rules, on top of the roles that
``procurement.permissions`` knows."""

from procurement.models import Role
from procurement.permissions import has_role


def may_manage_contract(user, contract) -> bool:
    """Manage a contract: the lead's procurement officers."""
    return has_role(user, contract.initiative.lead_organisation_id, Role.PROCUREMENT)


def may_call_off(user, organisation_id: int | None) -> bool:
    """Call off a framework agreement for an organisation: its ICT staff or procurement officers."""
    return has_role(user, organisation_id, Role.ICT, Role.PROCUREMENT)


def may_act_for_call_off(user, call_off) -> bool:
    """Order, cancel a call-off and record its deliveries: the ordering organisation's ICT staff or procurement
    officers (the lead's procurement officers see every call-off, but act only on their own organisation's)."""
    return may_call_off(user, call_off.organisation_id)
