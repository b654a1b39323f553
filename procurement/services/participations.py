"""Participations: joining a round, entering demand, submitting, deciding, withdrawing, lapsing."""

from contextlib import contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from core import clock, formatting, money
from core.errors import DomainError, InvalidInput, NotAllowed, TransitionRefused
from core.events import on_commit
from core.parsing import NumberError, parse_decimal, parse_int
from core.services import Actor, apply_transition, check, locked, locked_shared
from core.validation import raise_if, require
from procurement import advice, events, permissions, selectors
from procurement.models import (
    MAX_QUANTITY,
    DecidingBody,
    DemandLine,
    Initiative,
    InitiativeState,
    Item,
    Organisation,
    Participation,
    ParticipationState,
)
from procurement.models.participations import demand_deadline_open, initiative_pooling

from .base import lock_pooled_value

DECIDED = {"approve": "approved", "decline": "declined"}


def _lock(participation: Participation | int) -> Participation:
    """Share-lock the initiative, then lock the participation: always in that order, so that a submission
    and the closing of pooling (which locks the initiative exclusively) are serialised and never deadlock,
    while the organisations of a round submit and enter demand side by side."""
    pk = participation.pk if isinstance(participation, Participation) else participation
    initiative_id = Participation.objects.values_list("initiative_id", flat=True).get(pk=pk)
    initiative = locked_shared(Initiative, initiative_id)
    participation = locked(Participation, pk)
    participation.initiative = initiative
    return participation


def participation_join(*, initiative: Initiative, actor: Actor, organisation: Organisation) -> Participation:
    """An organisation joins a round that is pooling demand; the ICT officer who joins is its contact."""
    if not permissions.may_join(actor, initiative, organisation.pk):
        raise NotAllowed(_("Only ICT staff of %(organisation)s can join a round for it.") % {"organisation": organisation})
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        if not permissions.is_invited(initiative, organisation.pk):
            raise InvalidInput({"organisation": [
                _("%(organisation)s is not in a knowledge circle this initiative is offered to.")
                % {"organisation": organisation}]})
        if initiative.state != InitiativeState.POOLING:
            raise TransitionRefused(
                _("Organisations can join only while demand is being pooled (the initiative is %(state)s).")
                % {"state": initiative.get_state_display()},
                code="initiative_not_pooling",
            )
        if initiative.demand_deadline and initiative.demand_deadline < timezone.now():
            raise TransitionRefused(
                _("The demand deadline of %(deadline)s has passed.")
                % {"deadline": formatting.deadline(initiative.demand_deadline)},
                code="demand_deadline_passed",
            )
        if Participation.objects.filter(initiative=initiative, organisation=organisation).exists():
            raise InvalidInput({"organisation": [
                _("%(organisation)s already takes part in this initiative.") % {"organisation": organisation}]},
                code="already_joined")
        participation = Participation.objects.create(
            initiative=initiative, organisation=organisation, contact=actor,
            deciding_body=organisation.default_deciding_body,
        )
        audit.record(action="procurement.participation.joined", obj=participation, actor=actor,
                     organisation=organisation, to_state=participation.state)
    return participation


def _parse_lines(initiative: Initiative, lines: list[dict[str, Any]],
                 items: dict[int, Item]) -> list[tuple[Item, Decimal, Decimal | None]]:
    """Validate every line against the initiative's ``items``; raise one InvalidInput whose ``lines``
    list has the errors by position."""
    if not isinstance(lines, list):
        raise InvalidInput({"lines": [_("Send a list of lines.")]})
    seen: set[int] = set()
    parsed, errors, any_error = [], [], False
    for line in lines:
        line_errors: dict[str, list[str]] = {}
        if not isinstance(line, dict):
            errors.append({"non_field_errors": [_("Each line is an object with item and quantity.")]})
            any_error = True
            continue
        raw_item = line.get("item")
        item_id = raw_item.pk if isinstance(raw_item, Item) else raw_item
        item_number = parse_int(item_id)  # "5" from a form or a sheet is item 5; "٥" or "5_0" is no item
        item = items.get(item_number) if item_number is not None else None
        if raw_item in (None, ""):
            line_errors["item"] = [_("This field is required.")]
        elif item is None:
            line_errors["item"] = [_("Item %(item)s is not part of this initiative.") % {"item": item_id}]
        elif item.pk in seen:
            line_errors["item"] = [_("Item %(item)s appears twice; give one line per item.") % {"item": item.name}]
        quantity = _decimal(line.get("quantity"), "quantity", line_errors, required=True)
        max_quantity = _decimal(line.get("max_quantity"), "max_quantity", line_errors, required=False)
        if max_quantity is not None and not initiative.is_framework:
            line_errors.setdefault("max_quantity", []).append(
                _("A maximum quantity applies only to framework contracts; leave it empty."))
        if max_quantity is not None and quantity is not None and max_quantity < quantity:
            line_errors.setdefault("max_quantity", []).append(
                _("The maximum quantity must not be below the quantity (%(quantity)s).") % {"quantity": quantity})
        if item is not None:
            seen.add(item.pk)
        errors.append(line_errors)
        any_error = any_error or bool(line_errors)
        if not line_errors:
            parsed.append((item, quantity, max_quantity))
    if any_error:
        raise InvalidInput({"lines": errors})
    return parsed


def _decimal(value: Any, field: str, errors: dict[str, list[str]], *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = parse_decimal(value)
    except NumberError as error:
        errors[field] = [error.message]
        return None
    if number < 0:
        errors[field] = [_("Enter zero or more.")]
    elif number > MAX_QUANTITY:
        errors[field] = [_("Enter at most %(max)s.") % {"max": f"{MAX_QUANTITY:,.0f}".replace(",", ".")}]
    elif number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimals.")]
    else:
        return number.quantize(Decimal("0.01"))
    return None


def demand_refusal(participation: Participation, *, actor: Actor) -> DomainError | None:
    """Why ``actor`` may not change this participation's demand now, or None. ``demand_set`` refuses with it,
    and the demand page says it above a read-only grid: one place spells the rule."""
    if not permissions.may_edit_demand(actor, participation):
        return NotAllowed(_("Only ICT staff of %(organisation)s can enter its demand.")
                          % {"organisation": participation.organisation})
    if participation.state != ParticipationState.DRAFT:
        return TransitionRefused(
            _("Demand can only change while the participation is a draft (it is %(state)s); reopen it first.")
            % {"state": participation.get_state_display()},
            code="participation_not_draft",
        )
    # The same guards as submitting (pooling, deadline), so the messages are the same.
    for guard in (initiative_pooling, demand_deadline_open):
        if not guard(participation):
            return TransitionRefused(guard.message(participation), code=guard.code)
    return None


def demand_set(*, participation: Participation, actor: Actor, lines: list[dict[str, Any]]) -> Participation:
    """Replace the participation's demand lines. Only the ICT staff of the organisation, only in `draft`
    while the initiative pools demand and before the deadline. Records a threshold crossing."""
    with transaction.atomic():
        participation = _lock(participation)
        initiative = participation.initiative
        refused = demand_refusal(participation, actor=actor)
        if refused is not None:
            raise refused
        items = {item.pk: item for item in Item.objects.filter(lot__initiative=initiative)}
        parsed = _parse_lines(initiative, lines, items)
        previous = {item_id: (quantity, max_quantity) for item_id, quantity, max_quantity
                    in participation.lines.values_list("item_id", "quantity", "max_quantity")}
        participation.lines.all().delete()
        DemandLine.objects.bulk_create(
            DemandLine(participation=participation, item=item, quantity=quantity, max_quantity=max_quantity)
            for item, quantity, max_quantity in parsed
        )
        # The participation keeps the value of its lines (the pooled value sums these); the row is locked.
        value = selectors.lines_value(initiative, ((item.estimated_unit_price, q, m) for item, q, m in parsed))
        if value > selectors.MAX_DEMAND_VALUE:
            # Only absurd quantities of the dearest items get here (each line is within its own bounds).
            raise InvalidInput({"lines": [
                _("Together these lines are worth %(value)s excl. VAT, more than any demand can be "
                  "(%(max)s); check the quantities.")
                % {"value": formatting.money(value), "max": formatting.money(selectors.MAX_DEMAND_VALUE)}]})
        change = value - participation.demand_value
        participation.demand_value_e4 = selectors.in_e4(value)
        Participation.objects.filter(pk=participation.pk).update(
            updated_at=timezone.now(), demand_value_e4=participation.demand_value_e4)
        # From here to the commit the initiative's demand changes one at a time: the value read now holds
        # every earlier change and this one, so the value before this change is that minus this change
        # (a draft always counts).
        lock_pooled_value(initiative.pk)
        pooled = selectors.exact_pooled_value(initiative)
        before = selectors.advice_for(initiative, demand=pooled - change)
        after = selectors.advice_for(initiative, demand=pooled)
        audit.record(
            action="procurement.participation.demand_changed", obj=participation, actor=actor,
            organisation=participation.organisation,
            data={
                "before": {str(k): [str(q), None if m is None else str(m)] for k, (q, m) in previous.items()},
                "after": {str(item.pk): [str(q), None if m is None else str(m)] for item, q, m in parsed},
                # Written under the pooled-value lock, so successive entries show the value step by step.
                "pooled_value": str(after.value),
            },
        )
        _record_threshold_crossing(initiative, before, after, actor)
    return participation


def demand_values_refresh(*, initiative: Initiative) -> int:
    """Store every participation's demand value again from its lines; returns how many changed.

    ``demand_set`` keeps the values, so in the product this changes nothing. It repairs them where lines were
    written around the services: the benchmark's data generator, tests that create lines directly. Not a
    state change, so no audit entry: the values are derived from the lines, which the audit log covers."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        lock_pooled_value(initiative.pk)
        wrong = selectors.demand_values_out_of_step(initiative)
        for pk, (_kept, from_lines) in wrong.items():
            Participation.objects.filter(pk=pk).update(demand_value_e4=from_lines)
    return len(wrong)


@contextmanager
def threshold_watch(initiative: Initiative, *, actor: Actor):
    """Around any change of the demand that counts (demand edited, a participation declined, withdrawn or
    lapsed, the participants frozen): when it moves the pooled value across a threshold, record it and tell
    the lead's procurement officers. ``initiative`` is the locked row; its state after the block counts."""
    lock_pooled_value(initiative.pk)
    before = selectors.advice_for(initiative)
    yield
    _record_threshold_crossing(initiative, before, selectors.advice_for(initiative), actor)


def _record_threshold_crossing(initiative: Initiative, before: advice.Advice, after: advice.Advice, actor: Actor) -> None:
    if advice.level(before) == advice.level(after):
        return
    data = {
        "before": {"value": str(before.value), **before.as_dict()},
        "after": {"value": str(after.value), **after.as_dict()},
    }
    audit.record(action="procurement.initiative.threshold_crossed", obj=initiative, actor=actor,
                 organisation=initiative.lead_organisation, data=data)
    on_commit(events.threshold_crossed, initiative_id=initiative.pk, before=data["before"],
                     after=data["after"], actor_id=getattr(actor, "pk", None))


def _transition(participation: Participation, name: str, *, actor: Actor, action: str, update_fields=(), data=None,
                system: bool = False, before_transition=None, watch_threshold: bool = False) -> Participation:
    with transaction.atomic():
        participation = _lock(participation)
        # One moment for the deadline check and the stamp it allows (procurement/clock.py).
        with clock.instant():
            if before_transition is not None:
                before_transition(participation)
            watch = threshold_watch(participation.initiative, actor=actor) if watch_threshold else nullcontext()
            with watch:
                apply_transition(participation, name, actor=actor, system=system, action=action,
                                 organisation=participation.organisation, update_fields=update_fields, data=data)
    return participation


def participation_submit(*, participation: Participation, actor: Actor) -> Participation:
    data: dict[str, str] = {}

    def record_subtotal(p: Participation) -> None:
        # ``p`` is the row read under the lock: the demand the caller saw may have changed since.
        data["subtotal"] = str(money.cents(p.demand_value))

    participation = _transition(participation, "submit", actor=actor, action="procurement.participation.submitted",
                                update_fields=("submitted_at",), data=data, before_transition=record_subtotal)
    on_commit(events.participation_submitted, participation_id=participation.pk)
    return participation


def participation_reopen(*, participation: Participation, actor: Actor) -> Participation:
    participation = _transition(participation, "reopen", actor=actor, action="procurement.participation.reopened",
                                update_fields=("submitted_at",))
    on_commit(events.participation_ended, participation_id=participation.pk, reason="reopened")
    return participation


def _decision(
    participation: Participation, name: str, *, actor: Actor, decision_date: date | None, decision_reference: str,
    deciding_body: str | None, reason: str = "",
) -> Participation:
    def record_decision(p: Participation) -> None:
        # Permission, state and deadline first (403/409), then the decision's own fields (400).
        check(p, name, actor=actor)
        errors: dict[str, list[str]] = {}
        require(errors, "decision_date", decision_date)
        require(errors, "decision_reference", (decision_reference or "").strip())
        if decision_date and decision_date > timezone.localdate():
            errors.setdefault("decision_date", []).append(_("A decision date cannot lie in the future."))
        if deciding_body and deciding_body not in DecidingBody.values:
            errors.setdefault("deciding_body", []).append(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(DecidingBody.values)})
        if name == "decline":
            require(errors, "reason", (reason or "").strip(), _("Give the reason for declining."))
        if len(decision_reference or "") > 100:
            errors.setdefault("decision_reference", []).append(_("Use at most 100 characters."))
        raise_if(errors)
        p.decision_date = decision_date
        p.decision_reference = decision_reference.strip()
        p.deciding_body = deciding_body or p.deciding_body or p.organisation.default_deciding_body
        p.decision_reason = (reason or "").strip()
        p.decided_by = actor

    participation = _transition(
        participation, name, actor=actor, action=f"procurement.participation.{DECIDED[name]}",
        update_fields=("decision_date", "decision_reference", "deciding_body", "decision_reason", "decided_at",
                       "decided_by"),
        data={"decision_date": decision_date, "decision_reference": decision_reference,
              "deciding_body": deciding_body, "reason": reason},
        before_transition=record_decision,
        watch_threshold=name == "decline",  # a declined participation no longer counts
    )
    on_commit(events.participation_decided, participation_id=participation.pk,
                     approved=participation.state == ParticipationState.APPROVED)
    return participation


def participation_approve(*, participation: Participation, actor: Actor, decision_date: date | None,
                          decision_reference: str, deciding_body: str | None = None) -> Participation:
    return _decision(participation, "approve", actor=actor, decision_date=decision_date,
                     decision_reference=decision_reference, deciding_body=deciding_body)


def participation_decline(*, participation: Participation, actor: Actor, decision_date: date | None,
                          decision_reference: str, reason: str, deciding_body: str | None = None) -> Participation:
    return _decision(participation, "decline", actor=actor, decision_date=decision_date,
                     decision_reference=decision_reference, deciding_body=deciding_body, reason=reason)


def participation_withdraw(*, participation: Participation, actor: Actor, reason: str = "") -> Participation:
    def keep_reason(p: Participation) -> None:
        p.withdraw_reason = (reason or "").strip()

    participation = _transition(participation, "withdraw", actor=actor, action="procurement.participation.withdrawn",
                                update_fields=("withdraw_reason",), data={"reason": reason},
                                before_transition=keep_reason, watch_threshold=True)
    on_commit(events.participation_ended, participation_id=participation.pk, reason="withdrawn")
    return participation


def participation_lapse(*, participation: Participation) -> Participation:
    """The system lets an undecided participation lapse when the participants are confirmed."""
    participation = _transition(participation, "lapse", actor=None, system=True,
                                action="procurement.participation.lapsed")
    on_commit(events.participation_ended, participation_id=participation.pk, reason="lapsed")
    return participation
