"""Call-offs against a framework agreement (DESIGN.md §3, §4).

Every service here locks the framework agreement's row first (``select_for_update``), then the call-off:
always in that order, so two services never deadlock. Ordering checks every ceiling and consumes it while
it holds that one lock; so does every service that gives consumption back (close, cancel). Two orders for
the same agreement therefore run one after the other, and the second sees what the first consumed: the
ceilings can never be exceeded, whatever arrives at the same moment (the database's check constraints
back this up).

The ceilings of an order, each refused with a 409 that names it and what remains:
- per item, the beneficiary's maximum quantity over the term (its contract line; none: zero);
- the beneficiary's maximum value (``Beneficiary.maximum``);
- the agreement's overall maximum (``Contract.ceiling``).

When an order takes consumption past 80 % of a ceiling, a warning is recorded (audit) and mailed after
commit to the lead's procurement officers and the ordering organisation's ICT staff, once per ceiling.
"""

from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from contracts import rules
from core import formatting
from core.errors import InvalidInput, NotAllowed, NotFound, TransitionRefused
from core.money import line_amount
from core.services import Actor, apply_transition, check, locked
from core.validation import raise_if
from procurement.models import Organisation
from tendering.models import BidPrice

from ..models import (
    WARNING_SHARE,
    ZERO,
    Beneficiary,
    CallOff,
    CallOffLine,
    CallOffState,
    Contract,
    ContractLine,
    ContractState,
    Delivery,
    DeliveryLine,
)
from ..models.calloffs import exhausted_message
from .inputs import a_date, item_lines

# The transitions a person may call on a call-off (the API's transitions endpoint and the buttons).
MAX_ADDRESS = 300
MAX_REASON = 2000


# --- locks and reads ---


def lock_call_off(call_off: CallOff | int) -> CallOff:
    """Lock the framework agreement, then the call-off (the order every call-off service keeps)."""
    pk = call_off.pk if isinstance(call_off, CallOff) else call_off
    contract_id = CallOff.objects.filter(pk=pk).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotFound(_("Call-off %(pk)s does not exist.") % {"pk": pk})
    contract = locked(Contract, contract_id)
    call_off = locked(CallOff, pk)
    call_off.contract = contract
    return call_off


def framework_prices(contract: Contract) -> dict[int, BidPrice]:
    """Item id → the awarded price line (with its item), for every item of the agreement's lot."""
    return {p.item_id: p for p in BidPrice.objects.filter(bid_id=contract.award.bid_id).select_related("item")
            .order_by("item__position", "item_id")}


def _lead(contract: Contract) -> Organisation | None:
    return contract.initiative.lead_organisation


def _agreement_refusal(contract: Contract) -> TransitionRefused | None:
    if not contract.is_framework:
        return TransitionRefused(_("Only a framework agreement is called off; this is a %(kind)s.")
                                 % {"kind": contract.get_kind_display()}, code="not_a_framework")
    if contract.state == ContractState.EXHAUSTED:
        return TransitionRefused(exhausted_message(contract), code="agreement_exhausted")
    if contract.state != ContractState.ACTIVE:
        return TransitionRefused(_("The framework agreement is %(state)s: no more call-offs can be ordered.")
                                 % {"state": contract.get_state_display()}, code="agreement_not_active")
    return None


# --- creating a draft ---


def call_off_create(*, contract: Contract, actor: Actor, organisation: Organisation | int | None, lines: Any,
                    delivery_address: str = "", delivery_date=None) -> CallOff:
    """A draft call-off of ``organisation`` (a beneficiary) with lines of items of the agreement's lot at
    the awarded prices. Who (403) and whether the agreement takes call-offs (409) come before the input (400);
    the ceilings are checked when it is ordered."""
    organisation_id = getattr(organisation, "pk", organisation)
    with transaction.atomic():
        contract = locked(Contract, contract.pk)  # numbers the call-offs of the agreement one after the other
        if organisation_id in (None, "") or isinstance(organisation_id, bool):
            raise InvalidInput({"organisation": [_("Say for which organisation you call off.")]})
        try:
            organisation_id = int(organisation_id)
        except (TypeError, ValueError):
            raise InvalidInput({"organisation": [_("Give the id of an organisation.")]})
        if not rules.may_call_off(actor, organisation_id):
            raise NotAllowed(_("Only the ICT staff or procurement officers of an organisation can call off for it."))
        organisation = Organisation.objects.get(pk=organisation_id)
        refused = _agreement_refusal(contract)
        if refused is not None:
            raise refused
        if not Beneficiary.objects.filter(contract=contract, organisation=organisation).exists():
            raise TransitionRefused(
                _("%(organisation)s is not a beneficiary of this framework agreement: only the participants frozen "
                  "when the participants were confirmed can call off.") % {"organisation": organisation},
                code="not_a_beneficiary")
        prices = framework_prices(contract)
        quantities, errors = item_lines(lines, {pk: price.item for pk, price in prices.items()})
        address = (delivery_address or "").strip()
        if len(address) > MAX_ADDRESS:
            errors.setdefault("delivery_address", []).append(_("Use at most %(n)s characters.") % {"n": MAX_ADDRESS})
        when = a_date(delivery_date, errors, "delivery_date")
        if when is not None and when < timezone.localdate():
            errors.setdefault("delivery_date", []).append(_("The requested delivery date cannot lie in the past."))
        raise_if(errors)
        number = (CallOff.objects.filter(contract=contract).aggregate(n=Max("number"))["n"] or 0) + 1
        priced = [(prices[item_id], quantity, line_amount(prices[item_id].unit_price, quantity))
                  for item_id, quantity in quantities.items()]
        call_off = CallOff.objects.create(
            contract=contract, organisation=organisation, number=number,
            total=sum((amount for _p, _q, amount in priced), ZERO),
            delivery_address=address or default_address(organisation), delivery_date=when,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        CallOffLine.objects.bulk_create(
            CallOffLine(call_off=call_off, item=price.item, quantity=quantity, unit_price=price.unit_price,
                        amount=amount)
            for price, quantity, amount in priced
        )
        audit.record(action="contracts.call_off.created", obj=call_off, actor=actor, organisation=organisation,
                     to_state=call_off.state,
                     data={"contract": contract.pk, "number": number, "total": call_off.total,
                           "lines": [{"item": p.item_id, "quantity": q, "unit_price": p.unit_price, "amount": a}
                                     for p, q, a in priced]})
    call_off.contract = contract
    return call_off


def default_address(organisation: Organisation) -> str:
    return ", ".join(part for part in (organisation.name, organisation.address, organisation.postal_code) if part)


# --- ordering: the ceilings ---


def _refuse_beyond_ceilings(call_off: CallOff, lines: list[CallOffLine], beneficiary: Beneficiary,
                            maxima: dict[int, ContractLine]) -> None:
    """Raise the 409 of the first ceiling this order would exceed, naming it and what remains."""
    organisation = call_off.organisation.name
    for line in lines:
        own = maxima.get(line.item_id)
        maximum, ordered = (own.quantity, own.ordered) if own else (ZERO, ZERO)
        if ordered + line.quantity > maximum:
            raise TransitionRefused(
                _("This call-off exceeds %(organisation)s's maximum for %(item)s: %(ordered)s ordered of %(maximum)s, "
                  "%(remaining)s remain, this call-off asks %(asked)s.")
                % {"organisation": organisation, "item": line.item.name, "ordered": formatting.quantity(ordered),
                   "maximum": formatting.quantity(maximum), "remaining": formatting.quantity(maximum - ordered),
                   "asked": formatting.quantity(line.quantity)},
                code="item_maximum_exceeded")
    if beneficiary.consumed + call_off.total > beneficiary.maximum:
        raise TransitionRefused(
            _("This call-off exceeds %(organisation)s's maximum of %(maximum)s: %(consumed)s ordered, %(remaining)s "
              "remain, this call-off amounts to %(total)s.")
            % {"organisation": organisation, "maximum": formatting.money(beneficiary.maximum),
               "consumed": formatting.money(beneficiary.consumed),
               "remaining": formatting.money(beneficiary.remaining), "total": formatting.money(call_off.total)},
            code="participant_maximum_exceeded")
    contract = call_off.contract
    if contract.ceiling is not None and contract.consumed + call_off.total > contract.ceiling:
        raise TransitionRefused(
            _("This call-off exceeds the overall maximum of the framework agreement, %(ceiling)s: %(consumed)s "
              "ordered by all beneficiaries, %(remaining)s remain, this call-off amounts to %(total)s.")
            % {"ceiling": formatting.money(contract.ceiling), "consumed": formatting.money(contract.consumed),
               "remaining": formatting.money(contract.remaining), "total": formatting.money(call_off.total)},
            code="overall_maximum_exceeded")


def _crossed(before: Decimal, after: Decimal, maximum: Decimal) -> bool:
    """Whether consumption went from below the warning share of ``maximum`` to at or above it."""
    return maximum > 0 and before < maximum * WARNING_SHARE <= after


def call_off_order(*, call_off: CallOff, actor: Actor, delivery_address: str | None = None,
                   delivery_date=None) -> CallOff:
    """Order a draft: the order date is today; refused (409) beyond a ceiling, for an organisation that is
    not a beneficiary, outside the agreement's period or when the agreement no longer takes call-offs. The
    check and the consumption happen under the agreement's lock. Exhausts the agreement when the overall
    maximum is reached."""
    with transaction.atomic():
        call_off = lock_call_off(call_off)
        contract = call_off.contract
        check(call_off, "order", actor=actor)
        errors: dict[str, list[str]] = {}
        if delivery_address is not None:
            address = delivery_address.strip()
            if len(address) > MAX_ADDRESS:
                errors.setdefault("delivery_address", []).append(_("Use at most %(n)s characters.") % {"n": MAX_ADDRESS})
            call_off.delivery_address = address or call_off.delivery_address
        when = a_date(delivery_date, errors, "delivery_date")
        raise_if(errors)
        if when is not None:
            call_off.delivery_date = when
        if call_off.delivery_date is not None and call_off.delivery_date < timezone.localdate():
            raise InvalidInput({"delivery_date": [_("The requested delivery date cannot lie in the past.")]})

        lines = list(call_off.lines.select_related("item"))
        beneficiary = Beneficiary.objects.get(contract=contract, organisation_id=call_off.organisation_id)
        maxima = {cl.item_id: cl for cl in ContractLine.objects.filter(
            contract=contract, organisation_id=call_off.organisation_id, item_id__in=[line.item_id for line in lines])}
        _refuse_beyond_ceilings(call_off, lines, beneficiary, maxima)

        now = timezone.now()
        warnings: list[dict] = []
        for line in lines:
            own = maxima[line.item_id]  # exists: a line without a maximum was refused above
            line.remaining_before = own.quantity - own.ordered
            line.consumed = line.amount
            before = own.ordered
            own.ordered += line.quantity
            if own.warned_at is None and _crossed(before, own.ordered, own.quantity):
                own.warned_at = now
                warnings.append(_warning("item", call_off, maximum=own.quantity, consumed=own.ordered,
                                         item=line.item.name))
        CallOffLine.objects.bulk_update(lines, ["remaining_before", "consumed"])
        ContractLine.objects.bulk_update(list(maxima.values()), ["ordered", "warned_at"])

        call_off.participant_remaining_before = beneficiary.remaining
        call_off.overall_remaining_before = contract.remaining
        before = beneficiary.consumed
        beneficiary.consumed += call_off.total
        if beneficiary.warned_at is None and _crossed(before, beneficiary.consumed, beneficiary.maximum):
            beneficiary.warned_at = now
            warnings.append(_warning("participant", call_off, maximum=beneficiary.maximum,
                                     consumed=beneficiary.consumed))
        beneficiary.save(update_fields=["consumed", "warned_at"])
        before = contract.consumed
        contract.consumed += call_off.total
        if contract.ceiling is not None and contract.ceiling_warned_at is None and _crossed(
                before, contract.consumed, contract.ceiling):
            contract.ceiling_warned_at = now
            warnings.append(_warning("overall", call_off, maximum=contract.ceiling, consumed=contract.consumed))
        contract.save(update_fields=["consumed", "ceiling_warned_at", "updated_at"])
        call_off.participant_remaining_after = beneficiary.remaining
        call_off.overall_remaining_after = contract.remaining

        apply_transition(
            call_off, "order", actor=actor, action="contracts.call_off.ordered", organisation=call_off.organisation,
            update_fields=("ordered_at", "ordered_on", "delivery_address", "delivery_date",
                           "participant_remaining_before", "participant_remaining_after",
                           "overall_remaining_before", "overall_remaining_after"),
            data={"contract": contract.pk, "total": call_off.total, "ordered_on": call_off.ordered_on,
                  "participant_remaining_after": call_off.participant_remaining_after,
                  "overall_remaining_after": call_off.overall_remaining_after},
        )
        for warning in warnings:
            audit.record(action="contracts.ceiling.warning", obj=contract, actor=actor,
                         organisation=call_off.organisation, data=warning)
        if contract.ceiling is not None and contract.consumed >= contract.ceiling:
            apply_transition(contract, "exhaust", actor=actor, system=True, action="contracts.contract.exhausted",
                             organisation=_lead(contract),
                             data={"ceiling": contract.ceiling, "consumed": contract.consumed, "call_off": call_off.pk})
        if warnings:
            from ..tasks import mail_ceiling_warning  # the task module imports the services

            transaction.on_commit(partial(mail_ceiling_warning.delay, call_off.pk, warnings))
    return call_off


def _warning(ceiling: str, call_off: CallOff, *, maximum: Decimal, consumed: Decimal, item: str = "") -> dict:
    """What the audit entry and the mail say about a ceiling passing 80 %: JSON-ready (strings)."""
    return {"ceiling": ceiling, "organisation": call_off.organisation_id, "organisation_name": call_off.organisation.name,
            "item": item, "maximum": str(maximum), "consumed": str(consumed), "remaining": str(maximum - consumed),
            "percentage": str((consumed * 100 / maximum).quantize(Decimal("0.1"))), "call_off": call_off.pk}


# --- delivery, close, cancel ---


def call_off_deliver(*, call_off: CallOff, actor: Actor, lines: Any = None, delivered_on=None, note: str = "") -> CallOff:
    """Record a delivery: the quantities received per line (``[{item, quantity}]``; none given: everything
    still outstanding). A partial delivery is fine; the call-off is `delivered` from the first one on and
    takes further deliveries until everything has come or it is closed."""
    with transaction.atomic():
        call_off = lock_call_off(call_off)
        check(call_off, "deliver", actor=actor)
        own = {line.item_id: line for line in call_off.lines.select_related("item")}
        errors: dict[str, list] = {}
        if lines in (None, []):
            quantities = {item_id: line.outstanding for item_id, line in own.items() if line.outstanding > 0}
        else:
            quantities, errors = item_lines(lines, {item_id: line.item for item_id, line in own.items()},
                                            allow_zero=True)
            if not errors:
                rows = []
                for item_id, quantity in quantities.items():  # in the order given, as the input
                    line = own[item_id]
                    rows.append({"quantity": [
                        _("Only %(outstanding)s of %(item)s are still to be delivered.")
                        % {"outstanding": formatting.quantity(line.outstanding), "item": line.item.name}]}
                        if quantity > line.outstanding else {})
                if any(rows):
                    errors = {"lines": rows}
                elif not any(quantities.values()):
                    errors = {"lines": [_("Give the quantity delivered of at least one line.")]}
        when = a_date(delivered_on, errors, "delivered_on") or timezone.localdate()
        if when > timezone.localdate():
            errors.setdefault("delivered_on", []).append(_("A delivery cannot be recorded before it happened."))
        elif call_off.ordered_on and when < call_off.ordered_on:
            errors.setdefault("delivered_on", []).append(
                _("The call-off was ordered on %(date)s; it cannot be delivered before.")
                % {"date": formatting.day(call_off.ordered_on)})
        note = (note or "").strip()
        if len(note) > 300:
            errors.setdefault("note", []).append(_("Use at most %(n)s characters.") % {"n": 300})
        raise_if(errors)
        received = {item_id: q for item_id, q in quantities.items() if q > 0}
        complete = all(line.outstanding == received.get(item_id, 0) for item_id, line in own.items())
        # The transition first: its guard (something outstanding) reads the lines as they were.
        apply_transition(
            call_off, "deliver", actor=actor, action="contracts.call_off.delivered", organisation=call_off.organisation,
            update_fields=("delivered_at",),
            data={"delivered_on": when, "note": note, "complete": complete,
                  "lines": [{"item": item_id, "quantity": q} for item_id, q in received.items()]},
        )
        delivery = Delivery.objects.create(call_off=call_off, delivered_on=when, note=note,
                                           recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        DeliveryLine.objects.bulk_create(DeliveryLine(delivery=delivery, line=own[item_id], quantity=q)
                                         for item_id, q in received.items())
        for item_id, quantity in received.items():
            own[item_id].delivered += quantity
        CallOffLine.objects.bulk_update(list(own.values()), ["delivered"])
        maxima = ContractLine.objects.filter(contract=call_off.contract, organisation_id=call_off.organisation_id,
                                             item_id__in=list(received))
        for contract_line in maxima:
            contract_line.delivered += received[contract_line.item_id]
        ContractLine.objects.bulk_update(list(maxima), ["delivered"])
    return call_off


def _settle(call_off: CallOff, *, keep_delivered: bool) -> Decimal:
    """Give back to the ceilings what an open call-off will no longer take: the undelivered rest when it
    is closed (``keep_delivered``), everything when it is cancelled. Returns the value given back."""
    contract = call_off.contract
    lines = list(call_off.lines.all())
    maxima = {cl.item_id: cl for cl in ContractLine.objects.filter(
        contract=contract, organisation_id=call_off.organisation_id, item_id__in=[line.item_id for line in lines])}
    released = ZERO
    for line in lines:
        kept = line.delivered if keep_delivered else ZERO
        counted = line.amount if kept == line.quantity else line_amount(line.unit_price, kept)
        released += line.consumed - counted
        line.consumed = counted
        own = maxima.get(line.item_id)
        if own is not None:
            own.ordered -= line.quantity - kept
    CallOffLine.objects.bulk_update(lines, ["consumed"])
    ContractLine.objects.bulk_update(list(maxima.values()), ["ordered"])
    beneficiary = Beneficiary.objects.get(contract=contract, organisation_id=call_off.organisation_id)
    beneficiary.consumed -= released
    beneficiary.save(update_fields=["consumed"])
    contract.consumed -= released
    contract.save(update_fields=["consumed", "updated_at"])
    return released


def _replenish_if_room(contract: Contract, *, actor: Actor, call_off: CallOff) -> None:
    if contract.state == ContractState.EXHAUSTED and contract.ceiling is not None and contract.consumed < contract.ceiling:
        apply_transition(contract, "replenish", actor=actor, system=True, action="contracts.contract.replenished",
                         organisation=_lead(contract),
                         data={"ceiling": contract.ceiling, "consumed": contract.consumed, "call_off": call_off.pk})


def call_off_close(*, call_off: CallOff, actor: Actor) -> CallOff:
    """Close a delivered call-off: it is settled at what was delivered; the undelivered rest goes back to the
    ceilings (an exhausted agreement becomes active again when that leaves room)."""
    with transaction.atomic():
        call_off = lock_call_off(call_off)
        check(call_off, "close", actor=actor)
        released = _settle(call_off, keep_delivered=True)
        apply_transition(call_off, "close", actor=actor, action="contracts.call_off.closed",
                         organisation=call_off.organisation, update_fields=("closed_at",),
                         data={"released": released, "delivered_total": call_off.total - released})
        _replenish_if_room(call_off.contract, actor=actor, call_off=call_off)
    return call_off


def call_off_cancel(*, call_off: CallOff, actor: Actor, reason: str = "") -> CallOff:
    """Cancel a draft, or an ordered call-off before anything was delivered (with a reason: the supplier is
    told). An ordered call-off gives its consumption back."""
    with transaction.atomic():
        call_off = lock_call_off(call_off)
        check(call_off, "cancel", actor=actor)
        reason = (reason or "").strip()
        was_ordered = call_off.state == CallOffState.ORDERED
        if was_ordered and not reason:
            raise InvalidInput({"reason": [_("Say why the order is cancelled; the supplier is told.")]})
        if len(reason) > MAX_REASON:
            raise InvalidInput({"reason": [_("Use at most %(n)s characters.") % {"n": MAX_REASON}]})
        released = _settle(call_off, keep_delivered=False) if was_ordered else ZERO
        call_off.reason = reason
        apply_transition(call_off, "cancel", actor=actor, action="contracts.call_off.cancelled",
                         organisation=call_off.organisation, update_fields=("cancelled_at", "reason"),
                         data={"reason": reason, "released": released})
        if was_ordered:
            _replenish_if_room(call_off.contract, actor=actor, call_off=call_off)
    return call_off

