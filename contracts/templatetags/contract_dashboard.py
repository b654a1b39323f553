"""The dashboard's contracts section (``procurement`` may not import us): the framework agreements each person
may call off for, with what remains of its own organisation's ceiling, and the contracts of its organisations."""

from django import template
from django.db.models import Q

from procurement import permissions
from procurement.models import Role

from ..models import Beneficiary, Contract, ContractKind, ContractState

register = template.Library()


@register.simple_tag
def call_off_rows(user) -> list[dict]:
    """One row per active framework agreement × organisation the user may order for (its ICT staff or
    procurement officers): the remaining ceiling of that organisation and of the agreement."""
    ids = permissions.organisation_ids(user, Role.ICT, Role.PROCUREMENT)
    if not ids:
        return []
    beneficiaries = (Beneficiary.objects.filter(organisation__in=ids, contract__state=ContractState.ACTIVE,
                                                contract__kind=ContractKind.FRAMEWORK)
                     .select_related("contract__initiative", "contract__lot", "organisation")
                     .order_by("contract__initiative__title", "contract__lot__number", "organisation__name"))
    return [{"contract": b.contract, "organisation": b.organisation, "maximum": b.maximum,
             "remaining": b.maximum - b.consumed, "overall_remaining": b.contract.remaining}
            for b in beneficiaries]


@register.simple_tag
def contracts_of(user) -> list[Contract]:
    """The purchase contracts and shared hires of the user's own organisations (the lead finds its contracts
    through the task list of each initiative), at most twenty."""
    ids = permissions.organisation_ids(user)
    return list(Contract.objects.filter(Q(organisation__in=ids) | Q(allocation_keys__shares__organisation__in=ids))
                .exclude(kind=ContractKind.FRAMEWORK).distinct()
                .select_related("initiative", "lot", "organisation").order_by("state", "-starts_on", "id")[:20])
