"""The agreement's own lifecycle: expiry at the end date (a periodic task), termination, renewal.

Exhaustion (and the way back when a call-off gives consumption back) happens in ``calloffs.py``, under the
same lock as the consumption that causes it.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from contracts import rules
from core import formatting
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from core.services import Actor, apply_transition, check, locked
from procurement import selectors as procurement_selectors

from ..models import Contract, ContractState
from .conclusion import add_months
from .inputs import a_date

# The transitions a person may call on an agreement (expire, exhaust and replenish are the system's).


def contract_expire(*, contract_id: int, today: date | None = None) -> bool:
    """Expire one agreement whose end date has passed. Idempotent: an agreement that is no longer active,
    has no end date or has not reached it is left alone (False)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().filter(pk=contract_id).order_by("pk").first()
        if contract is None or contract.state != ContractState.ACTIVE or contract.ends_on is None \
                or contract.ends_on >= today:
            return False
        apply_transition(contract, "expire", actor=None, system=True, action="contracts.contract.expired",
                         organisation=contract.initiative.lead_organisation,
                         data={"ends_on": contract.ends_on, "consumed": contract.consumed, "ceiling": contract.ceiling})
    return True


def expire_due_contracts(*, today: date | None = None) -> list[int]:
    """Expire every active agreement past its end date; returns the ids expired by this call."""
    today = today or timezone.localdate()
    due = Contract.objects.filter(state=ContractState.ACTIVE, ends_on__lt=today).values_list("pk", flat=True)
    return [pk for pk in list(due) if contract_expire(contract_id=pk, today=today)]


def contract_terminate(*, contract: Contract, actor: Actor, reason: str, terminated_on=None) -> Contract:
    """End an agreement early (the lead's procurement officers), with a reason. ``terminated_on`` is its last
    day (today by default; for a shared hire the last day whose cost is shared). No call-off is ordered
    after it; open call-offs are still delivered and closed."""
    with transaction.atomic():
        contract = locked(Contract, contract.pk)
        check(contract, "terminate", actor=actor)
        errors: dict[str, list[str]] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["reason"] = [_("Give a reason; it is recorded and shown to the beneficiaries.")]
        last_day = a_date(terminated_on, errors, "terminated_on") or timezone.localdate()
        if last_day < contract.starts_on:
            errors.setdefault("terminated_on", []).append(
                _("The contract starts on %(start)s; it cannot end before.") % {"start": formatting.day(contract.starts_on)})
        elif contract.ends_on is not None and last_day > contract.ends_on:
            errors.setdefault("terminated_on", []).append(
                _("The contract ends on %(end)s anyway.") % {"end": formatting.day(contract.ends_on)})
        if errors:
            raise InvalidInput(errors)
        contract.reason = reason
        contract.terminated_on = last_day
        apply_transition(contract, "terminate", actor=actor, action="contracts.contract.terminated",
                         organisation=contract.initiative.lead_organisation, update_fields=("reason", "terminated_on"),
                         data={"reason": reason, "terminated_on": last_day})
    return contract


def contract_renew(*, contract: Contract, actor: Actor, months: int | None = None) -> Contract:
    """Use one of the framework's renewals: the end date moves ``months`` later (by default the initial
    term). Only an active agreement with an end date and a renewal left; the lead's procurement officers."""
    with transaction.atomic():
        contract = locked(Contract, contract.pk)
        if not rules.may_manage_contract(actor, contract):
            raise NotAllowed(_("Only procurement officers of the lead organisation can renew this agreement."))
        initiative = contract.initiative
        if contract.state != ContractState.ACTIVE or contract.ends_on is None:
            raise TransitionRefused(_("Only an active agreement with an end date can be renewed."), code="not_renewable")
        if contract.renewals_used >= initiative.renewals:
            raise TransitionRefused(_("All %(n)s renewals foreseen in the tender have been used.")
                                    % {"n": initiative.renewals}, code="no_renewal_left")
        months = months if months is not None else initiative.framework_term_months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 96:
            raise InvalidInput({"months": [_("Enter a whole number of months from 1 to 96.")]})
        before = contract.ends_on
        # The renewal starts the day after the end and lasts ``months``: its last day is the day before the
        # same date ``months`` later (a term ending on 28 February 2027 is renewed until 29 February 2028).
        ends_on = add_months(before + timedelta(days=1), months) - timedelta(days=1)
        _check_framework_cap(contract, ends_on)
        contract.ends_on = ends_on
        contract.renewals_used += 1
        contract.save(update_fields=["ends_on", "renewals_used", "updated_at"])
        audit.record(action="contracts.contract.renewed", obj=contract, actor=actor,
                     organisation=initiative.lead_organisation,
                     data={"ends_on_before": before, "ends_on": contract.ends_on, "months": months,
                           "renewal": contract.renewals_used, "renewals": initiative.renewals})
    return contract


def _check_framework_cap(contract: Contract, ends_on) -> None:
    """A framework agreement runs at most four years, renewals included, unless the initiative records why
    this exceptional case needs longer (art. 43 §1 Wet 17 juni 2016)."""
    cap = procurement_selectors.framework_term_cap(contract.initiative)
    if cap is None:
        return
    max_months, source = cap
    last_day = add_months(contract.starts_on, max_months) - timedelta(days=1)
    if ends_on > last_day:
        raise TransitionRefused(
            _("This renewal would run the framework agreement until %(ends_on)s, beyond four years from its start "
              "on %(starts_on)s (%(source)s): it may run until %(last_day)s at the latest. Renew for fewer months.")
            % {"ends_on": ends_on.strftime("%d-%m-%Y"), "starts_on": contract.starts_on.strftime("%d-%m-%Y"),
               "last_day": last_day.strftime("%d-%m-%Y"), "source": source},
            code="framework_term_exceeded",
        )
