"""Scheduled work and mails of the contracts. Tasks take ids, read fresh rows and call the services; a task
that runs twice does no harm."""

import logging

from celery import shared_task

from procurement import permissions
from procurement.models import Role

logger = logging.getLogger(__name__)


@shared_task
def expire_framework_agreements() -> list[int]:
    """Expire every active agreement past its end date (beat: daily, shortly after midnight; idempotent)."""
    from .services import expire_due_contracts

    expired = expire_due_contracts()
    if expired:
        logger.info("Expired agreements past their end date: %s", expired)
    return expired


@shared_task
def mail_ceiling_warning(call_off_id: int, warnings: list[dict]) -> int:
    """Tell the lead's procurement officers and the ordering organisation's ICT staff that consumption
    passed 80 % of one or more ceilings with this call-off."""
    from workflows.notifications import notify

    from .models import CallOff

    call_off = CallOff.objects.select_related("contract__initiative", "contract__lot", "organisation").filter(
        pk=call_off_id).first()
    if call_off is None:
        return 0
    contract = call_off.contract
    users = (permissions.users_with_role([contract.initiative.lead_organisation_id], Role.PROCUREMENT)
             | permissions.users_with_role([call_off.organisation_id], Role.ICT)).distinct()
    return notify(users=users, template="ceiling_warning",
                  context={"call_off": call_off, "contract": contract, "initiative": contract.initiative,
                           "warnings": warnings})
