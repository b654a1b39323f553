"""Shared hires: setting the hire up at conclusion, the cost model, new versions of the allocation key.

Only the lead organisation's procurement officers change these (``rules.may_manage_contract``). A
version of the key is never edited: a participant that joins or leaves, or a change of shares, is a new
version from a date after the latest one, so that every statement can be recomputed as it was.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from audit import log as audit
from contracts import rules
from core import formatting
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from core.services import Actor, locked
from core.validation import full_clean, raise_if
from procurement.models import Organisation, ParticipationState, Unit
from tendering.selectors import Share

from ..models import AllocationKey, Contract, ContractState, CostShare, ShareBasis, SharedHire
from .inputs import a_date, number

COST_FIELDS = ("title", "annual_salary_cost", "operating_costs", "overhead_percentage", "subsidies",
               "indexation_percentage", "base_year", "notice_months")
HUNDRED = Decimal("100")


def hire_set_up(*, contract: Contract, shares: list[Share], organisations: list[Organisation], actor: Actor) -> SharedHire:
    """At conclusion: the position (the FTE items' quantities; the first FTE item names it), employed by the
    lead organisation from the start date, the cost model starting from the awarded annual cost, and the
    first version of the allocation key: each approved participant's FTE."""
    fte_shares = [s for s in shares if s.item.unit == Unit.FTE] or shares
    per_organisation: dict[int, Decimal] = defaultdict(Decimal)
    for share in fte_shares:
        per_organisation[share.organisation.pk] += share.quantity
    fte = sum(per_organisation.values(), Decimal("0"))
    hire = SharedHire.objects.create(
        contract=contract, title=fte_shares[0].item.name if fte_shares else contract.lot.title, fte=fte,
        employer=contract.initiative.lead_organisation, annual_salary_cost=contract.value,
        base_year=contract.starts_on.year,
    )
    if fte > 0:
        key = AllocationKey.objects.create(
            # No reason stored: it would be frozen in the language of the moment; version 1 speaks for itself.
            contract=contract, version=1, valid_from=contract.starts_on, basis=ShareBasis.FTE,
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        CostShare.objects.bulk_create(
            CostShare(key=key, organisation=org, value=per_organisation[org.pk])
            for org in organisations if per_organisation.get(org.pk)
        )
        audit.record(action="contracts.allocation_key.created", obj=contract, actor=actor,
                     organisation=contract.initiative.lead_organisation,
                     data={"version": 1, "valid_from": key.valid_from, "basis": key.basis,
                           "shares": [{"organisation": org.pk, "value": per_organisation[org.pk]}
                                      for org in organisations if per_organisation.get(org.pk)]})
    return hire


def _lock_hire(contract: Contract, actor: Actor) -> Contract:
    contract = locked(Contract, contract.pk)
    if not rules.may_manage_contract(actor, contract):
        raise NotAllowed(_("Only procurement officers of the lead organisation can change the cost sharing."))
    if not contract.is_shared_hire or not hasattr(contract, "hire"):
        raise TransitionRefused(_("This is not a shared hire: it has no cost sharing."), code="not_a_shared_hire")
    if contract.state != ContractState.ACTIVE:
        raise TransitionRefused(_("The agreement is %(state)s: its cost sharing can no longer change.")
                                % {"state": contract.get_state_display()}, code="agreement_not_active")
    return contract


def cost_model_update(*, contract: Contract, actor: Actor, **changes: Any) -> SharedHire:
    """Change the position's title or the cost model (amounts in euro; percentages)."""
    with transaction.atomic():
        contract = _lock_hire(contract, actor)
        hire = SharedHire.objects.select_for_update().get(contract=contract)
        unknown = sorted(set(changes) - set(COST_FIELDS))
        if unknown:
            raise InvalidInput({name: [_("This cannot be changed here.")] for name in unknown})
        before = {name: getattr(hire, name) for name in COST_FIELDS}
        errors: dict[str, list[str]] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name == "title":
                hire.title = str(value).strip()
            elif name in ("base_year", "notice_months"):
                parsed = number(value, errors, name, places=0, minimum=Decimal(0))
                if parsed is not None:
                    setattr(hire, name, int(parsed))
            else:
                parsed = number(value, errors, name, minimum=Decimal(0))
                if parsed is not None:
                    setattr(hire, name, parsed)
        raise_if(errors)
        full_clean(hire)
        base = (hire.annual_salary_cost + hire.operating_costs) * (1 + hire.overhead_percentage / HUNDRED)
        if hire.subsidies > base:
            raise InvalidInput({"subsidies": [_("The subsidies (%(subsidies)s) exceed the yearly cost before "
                                                "subsidies (%(base)s).") % {"subsidies": formatting.money(hire.subsidies),
                                                                          "base": formatting.money(base)}]})
        if not 1900 <= hire.base_year <= 2999:
            raise InvalidInput({"base_year": [_("Enter a year, like 2027.")]})
        hire.save()
        after = {name: getattr(hire, name) for name in COST_FIELDS}
        audit.record(action="contracts.cost_model.updated", obj=contract, actor=actor,
                     organisation=contract.initiative.lead_organisation,
                     data={"before": {k: v for k, v in before.items() if after[k] != v},
                           "after": {k: v for k, v in after.items() if before[k] != v}})
    return hire


def eligible_organisations(contract: Contract):
    """Who may share the cost: the approved participants and, joining later, any organisation of the
    initiative's knowledge circles (a hire is employment, not procurement: no frozen list)."""
    initiative = contract.initiative
    return Organisation.objects.filter(
        Q(participations__initiative=initiative, participations__state=ParticipationState.APPROVED)
        | Q(circles__initiatives=initiative)
    ).distinct().order_by("name")


def allocation_key_add(*, contract: Contract, actor: Actor, valid_from: Any, basis: Any, shares: Any,
                       reason: str = "") -> AllocationKey:
    """A new version of the allocation key from ``valid_from``: every sharing organisation with its FTE
    fraction (summing to the position's FTE) or percentage (summing to 100)."""
    with transaction.atomic():
        contract = _lock_hire(contract, actor)
        hire = contract.hire
        latest = AllocationKey.objects.filter(contract=contract).order_by("-valid_from").first()
        errors: dict[str, list] = {}
        start = a_date(valid_from, errors, "valid_from", required=True)
        if start is not None:
            if start < contract.starts_on:
                errors.setdefault("valid_from", []).append(
                    _("The hire starts on %(start)s; a version cannot start before.")
                    % {"start": formatting.day(contract.starts_on)})
            elif latest is not None and start <= latest.valid_from:
                errors.setdefault("valid_from", []).append(
                    _("Version %(version)s is in force from %(start)s; a new version starts later (versions are "
                      "never changed afterwards).") % {"version": latest.version,
                                                       "start": formatting.day(latest.valid_from)})
            elif contract.last_day is not None and start > contract.last_day:
                errors.setdefault("valid_from", []).append(
                    _("The hire ends on %(end)s.") % {"end": formatting.day(contract.last_day)})
        if basis not in ShareBasis.values:
            errors.setdefault("basis", []).append(_("Choose one of: %(choices)s.")
                                                  % {"choices": ", ".join(ShareBasis.values)})
        reason = (reason or "").strip()
        if len(reason) > 300:
            errors.setdefault("reason", []).append(_("Use at most %(n)s characters.") % {"n": 300})
        parsed = _parse_shares(contract, shares, errors)
        if parsed and basis in ShareBasis.values and "shares" not in errors:
            total = sum(parsed.values(), Decimal("0"))
            target = hire.fte if basis == ShareBasis.FTE else HUNDRED
            if total != target:
                message = (_("The FTE shares add up to %(total)s; they must add up to the position's %(fte)s FTE.")
                           if basis == ShareBasis.FTE else
                           _("The percentages add up to %(total)s; they must add up to 100."))
                errors["shares"] = [message % {"total": formatting.fraction(total), "fte": formatting.fraction(hire.fte)}]
        raise_if(errors)
        version = (AllocationKey.objects.filter(contract=contract).aggregate(v=Max("version"))["v"] or 0) + 1
        key = AllocationKey.objects.create(contract=contract, version=version, valid_from=start, basis=basis,
                                           reason=reason,
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
        organisations = Organisation.objects.in_bulk(list(parsed))
        CostShare.objects.bulk_create(CostShare(key=key, organisation=organisations[pk], value=value)
                                      for pk, value in parsed.items())
        previous = set(latest.shares.values_list("organisation_id", flat=True)) if latest else set()
        audit.record(action="contracts.allocation_key.created", obj=contract, actor=actor,
                     organisation=contract.initiative.lead_organisation,
                     data={"version": version, "valid_from": start, "basis": basis, "reason": reason,
                           "shares": [{"organisation": pk, "value": value} for pk, value in parsed.items()],
                           "joined": sorted(set(parsed) - previous), "left": sorted(previous - set(parsed))})
    return key


def _parse_shares(contract: Contract, shares: Any, errors: dict[str, list]) -> dict[int, Decimal]:
    """``[{organisation, value}]`` → {organisation id: value}; errors by position under ``shares``."""
    if not isinstance(shares, (list, tuple)) or not shares:
        errors["shares"] = [_("Give at least one organisation with its share.")]
        return {}
    allowed = set(eligible_organisations(contract).values_list("pk", flat=True))
    parsed: dict[int, Decimal] = {}
    rows: list[dict[str, list[str]]] = []
    for entry in shares:
        row: dict[str, list[str]] = {}
        if not isinstance(entry, dict):
            rows.append({"non_field_errors": [_("Each share is an object with organisation and value.")]})
            continue
        raw = entry.get("organisation")
        raw = getattr(raw, "pk", raw)
        try:
            organisation_id = int(raw) if raw not in (None, "") and not isinstance(raw, bool) else None
        except (TypeError, ValueError):
            organisation_id = None
        if organisation_id is None:
            row["organisation"] = [_("Give the id of an organisation.")]
        elif organisation_id not in allowed:
            row["organisation"] = [_("Only the approved participants or an organisation of the initiative's "
                                     "knowledge circles can share the cost.")]
        elif organisation_id in parsed:
            row["organisation"] = [_("This organisation appears twice; give one share per organisation.")]
        value = number(entry.get("value"), row, "value", places=4, positive=True, maximum=HUNDRED)
        if not row and organisation_id is not None and value is not None:
            parsed[organisation_id] = value
        rows.append(row)
    if any(rows):
        errors["shares"] = rows
        return {}
    return parsed
