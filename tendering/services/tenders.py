"""Tenders: the procedure, publication, evaluation, award and standstill, conclusion.

Every state change follows ``base.py``: lock (the initiative, then the tender: always in that order), check
who and which state (403/409) before the input (400), transition, audit. The initiative follows through its
own transitions in the same transaction: ``start_tender`` when the tender is created, ``award`` with the
award, ``conclude`` with the conclusion, ``fail`` and ``cancel``.

Suppliers and bids are in ``bids.py``; the reads (ranking, quantities, shares) in ``tendering.selectors``.
Conclusion sends ``events.tender_concluded`` inside the transaction; ``contracts`` turns the awards into
contracts there (``tendering`` never imports ``contracts``, DESIGN.md §8).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from core import formatting
from core.errors import InvalidInput, NotAllowed, NotFound, TransitionRefused
from core.events import on_commit
from core.services import Actor, apply_transition, check, locked
from core.validation import full_clean, future, raise_if, require
from procurement import advice, events, procedures, selectors
from procurement.models import Initiative, InitiativeKind, Lot
from procurement.time_limits import bid_period_errors
from tendering import events as tender_events
from tendering import rules, scoring
from tendering.models import (
    DEFAULT_STANDSTILL_DAYS,
    MAX_STANDSTILL_DAYS,
    Award,
    AwardCriterion,
    Bid,
    Procedure,
    Tender,
    TenderState,
)
from tendering.selectors import ranking, standstill_end

# The transitions a person may call on a tender (the API's transitions endpoint and the buttons).

# --- the procedure ---


def _procedure_choice(
    initiative: Initiative, requested: str | None, reason: str = ""
) -> tuple[advice.Advice, str, str]:
    """The advice for the estimated value, the procedure (the advice, or another one that value allows,
    ``procedures.allowed_procedures``) and its publication. A procedure with conditions (art. 38 §1) needs
    the reason recorded."""
    found = selectors.advice_for(initiative)
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        if requested not in (None, "", advice.RECRUITMENT):
            raise InvalidInput({"procedure": [
                _("A shared hire is a recruitment, not a public contract: there is no procedure to choose.")]})
        return found, advice.RECRUITMENT, advice.PUBLICATION_NONE
    procedure = requested or found.procedure
    if procedure not in procedures.BY_CODE:
        raise InvalidInput({"procedure": [_("Choose one of: %(choices)s.")
                                          % {"choices": ", ".join(procedures.BY_CODE)}]})
    allowed = {a.code: a for a in found.allowed}
    if procedure not in allowed:
        if procedure in advice.PROCEDURE_ORDER:
            raise InvalidInput({"procedure": [_less_strict_message(found, procedure)]})
        raise InvalidInput({"procedure": [
            _("The %(chosen)s is allowed only for supplies and services below the European threshold in force on "
              "%(date)s; the estimated value of %(value)s is not below it.")
            % {"chosen": Procedure(procedure).label, "date": found.on.strftime("%d-%m-%Y"),
               "value": formatting.money(found.value)}]})
    chosen = allowed[procedure]
    if chosen.conditions and not (reason or "").strip():
        raise InvalidInput({"procedure_reason": [
            _("The %(chosen)s is allowed %(conditions)s") % {"chosen": chosen.label, "conditions": chosen.conditions}]})
    return found, procedure, chosen.publication


# The threshold whose reaching rules out everything below the advised procedure.
_LOWER_BOUND = {advice.NEGOTIATED_WITHOUT_PUBLICATION: "accepted_invoice",
                advice.OPEN: "negotiated_without_publication"}


def _less_strict_message(found: advice.Advice, procedure: str) -> str:
    names = {advice.ACCEPTED_INVOICE: _("accepted invoice"),
             advice.NEGOTIATED_WITHOUT_PUBLICATION: _("negotiated procedure without prior publication"),
             advice.OPEN: _("open procedure")}
    row = selectors.thresholds_in_force(found.on).get(_LOWER_BOUND.get(found.procedure, ""))
    if row is None:
        return _("The threshold table in force on %(date)s is incomplete, so the strictest procedure (%(advised)s) "
                 "is required for the pooled value of %(value)s; %(chosen)s is less strict.") % {
            "date": found.on.strftime("%d-%m-%Y"), "advised": names[found.procedure],
            "value": formatting.money(found.value), "chosen": names[procedure]}
    return _("The pooled value of %(value)s is at or above the threshold of %(threshold)s in force on %(date)s: "
             "at least the %(advised)s is required; %(chosen)s is less strict.") % {
        "value": formatting.money(found.value), "threshold": formatting.money(row.amount),
        "date": found.on.strftime("%d-%m-%Y"), "advised": names[found.procedure], "chosen": names[procedure]}


def _standstill_errors(errors: dict[str, list[str]], days: Any) -> None:
    if days is None:
        return
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_STANDSTILL_DAYS:
        errors.setdefault("standstill_days", []).append(
            _("Enter a whole number of calendar days from 0 to %(max)s.") % {"max": MAX_STANDSTILL_DAYS})


def _save_criteria(tender: Tender, award_criteria: list[dict]) -> None:
    tender.criteria.all().delete()
    AwardCriterion.objects.bulk_create(
        AwardCriterion(tender=tender, name=str(c["name"]).strip(), weight=int(Decimal(str(c["weight"]).strip())),
                       is_price=c.get("is_price") is True, position=position)
        for position, c in enumerate(award_criteria, start=1)
    )


def tender_create(
    *, initiative: Initiative, actor: Actor, bid_deadline: datetime | None, award_criteria: list[dict],
    procedure: str | None = None, standstill_days: int | None = None, bid_period_reduction: str = "none",
    bid_period_reduction_reason: str = "", procedure_reason: str = "",
) -> Tender:
    """Start the tender of an initiative that is `ready`; the initiative moves on to `tendering`.

    The procedure defaults to the advice for the pooled value on the planned start date; a stricter one is
    accepted, a less strict one refused naming the threshold and the value. The publication follows from
    the procedure and the value."""
    with transaction.atomic():
        initiative = locked(Initiative, initiative.pk)
        check(initiative, "start_tender", actor=actor)  # who and which state before the input
        errors: dict[str, list] = {}
        require(errors, "bid_deadline", bid_deadline)
        future(errors, "bid_deadline", bid_deadline)
        _standstill_errors(errors, standstill_days)
        errors.update(scoring.criteria_errors(award_criteria))
        raise_if(errors)
        found, chosen, publication = _procedure_choice(initiative, procedure, procedure_reason)
        # The minimum time limit for bids of this procedure and publication, counted from today (the
        # earliest the notice can go out); checked again when the tender is published.
        raise_if(bid_period_errors(procedure=chosen, publication=publication, reduction=bid_period_reduction,
                                   reason=bid_period_reduction_reason, bid_deadline=bid_deadline))
        tender = Tender(
            initiative=initiative, procedure=chosen, publication=publication,
            procedure_reason=(procedure_reason or "").strip(),
            bid_period_reduction=bid_period_reduction or "none",
            bid_period_reduction_reason=(bid_period_reduction_reason or "").strip(),
            advised_procedure=found.procedure, estimated_value=found.value, bid_deadline=bid_deadline,
            standstill_days=DEFAULT_STANDSTILL_DAYS if standstill_days is None else standstill_days,
            created_by=actor,
        )
        full_clean(tender)
        tender.save()
        _save_criteria(tender, award_criteria)
        apply_transition(initiative, "start_tender", actor=actor, action="procurement.initiative.tender_started",
                         organisation=initiative.lead_organisation, data={"tender": tender.pk})
        audit.record(action="procurement.tender.created", obj=tender, actor=actor,
                     organisation=initiative.lead_organisation, to_state=tender.state,
                     data={"procedure": chosen, "advised_procedure": found.procedure, "publication": publication,
                           "estimated_value": found.value, "bid_deadline": bid_deadline,
                           "bid_period_reduction": tender.bid_period_reduction,
                           "procedure_reason": tender.procedure_reason,
                           "award_criteria": [{"name": c["name"], "weight": c["weight"],
                                               "is_price": c.get("is_price") is True} for c in award_criteria]})
    tender.initiative = initiative
    return tender


def lock_tender(tender: Tender | int) -> Tender:
    """Lock the initiative, then the tender (the order every tender service keeps, so none deadlock)."""
    pk = tender.pk if isinstance(tender, Tender) else tender
    initiative_id = Tender.objects.filter(pk=pk).values_list("initiative_id", flat=True).first()
    if initiative_id is None:
        raise NotFound(_("Tender %(pk)s does not exist.") % {"pk": pk})
    initiative = locked(Initiative, initiative_id)
    tender = locked(Tender, pk)
    tender.initiative = initiative
    return tender


def require_tender_manager(tender: Tender, actor: Actor) -> None:
    if not rules.may_manage_tender(actor, tender):
        raise NotAllowed(_("Only procurement officers of the lead organisation can run this tender."))


def tender_update(
    *, tender: Tender, actor: Actor, bid_deadline: datetime | None = None, standstill_days: int | None = None,
    award_criteria: list[dict] | None = None,
) -> Tender:
    """Change the set-up while the tender is a draft; once published only a later bid deadline (an
    extension announced by a corrigendum), never the criteria."""
    with transaction.atomic():
        tender = lock_tender(tender)
        require_tender_manager(tender, actor)
        changes = {k: v for k, v in (("bid_deadline", bid_deadline), ("standstill_days", standstill_days),
                                     ("award_criteria", award_criteria)) if v is not None}
        allowed = {TenderState.DRAFT: {"bid_deadline", "standstill_days", "award_criteria"},
                   TenderState.PUBLISHED: {"bid_deadline"}}.get(tender.state, set())
        refused = sorted(set(changes) - allowed)
        if refused:
            raise TransitionRefused(_("%(fields)s can no longer be changed while the tender is %(state)s.")
                                    % {"fields": ", ".join(refused), "state": tender.get_state_display()},
                                    code="not_editable")
        errors: dict[str, list] = {}
        if bid_deadline is not None:
            future(errors, "bid_deadline", bid_deadline)
            if tender.state == TenderState.PUBLISHED and bid_deadline <= tender.bid_deadline:
                errors.setdefault("bid_deadline", []).append(
                    _("Once published, the bid deadline can only move later (it is %(deadline)s).")
                    % {"deadline": formatting.deadline(tender.bid_deadline)})
            for field, messages in _bid_period_errors(tender, bid_deadline).items():
                errors.setdefault(field, []).extend(messages)
        _standstill_errors(errors, standstill_days)
        if award_criteria is not None:
            errors.update(scoring.criteria_errors(award_criteria))
        raise_if(errors)
        before = {"bid_deadline": tender.bid_deadline, "standstill_days": tender.standstill_days}
        if bid_deadline is not None:
            tender.bid_deadline = bid_deadline
        if standstill_days is not None:
            tender.standstill_days = standstill_days
        tender.save(update_fields=["bid_deadline", "standstill_days", "updated_at"])
        if award_criteria is not None:
            _save_criteria(tender, award_criteria)
        audit.record(action="procurement.tender.updated", obj=tender, actor=actor,
                     organisation=tender.initiative.lead_organisation,
                     data={"before": before, "after": {k: v for k, v in changes.items()}})
    return tender


def _bid_period_errors(tender: Tender, bid_deadline: datetime, *, published: datetime | None = None):
    """The minimum time limit for bids, from the publication (or from now, for a draft)."""
    return bid_period_errors(procedure=tender.procedure, publication=tender.publication,
                             reduction=tender.bid_period_reduction, reason=tender.bid_period_reduction_reason,
                             bid_deadline=bid_deadline, published=published or tender.published_at)


def tender_publish(*, tender: Tender, actor: Actor, publication_reference: str) -> Tender:
    """Published: the e-Notification or TED number (or the invitation's reference) is required."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "publish", actor=actor)
        reference = (publication_reference or "").strip()
        errors: dict[str, list] = {}
        require(errors, "publication_reference", reference,
                _("Give the publication reference: the e-Notification or TED number, or the reference of the "
                  "invitation to bid."))
        if len(reference) > 100:
            errors.setdefault("publication_reference", []).append(_("Use at most 100 characters."))
        errors.update(_bid_period_errors(tender, tender.bid_deadline, published=timezone.now()))
        raise_if(errors)
        tender.publication_reference = reference
        apply_transition(tender, "publish", actor=actor, action="procurement.tender.published",
                         organisation=tender.initiative.lead_organisation,
                         update_fields=("publication_reference", "published_at"),
                         data={"publication_reference": reference, "bid_deadline": tender.bid_deadline})
    return tender


# --- the rest of the lifecycle ---


def tender_close_bids(*, tender: Tender, actor: Actor) -> Tender:
    """After the bid deadline: no more bids."""
    with transaction.atomic():
        tender = lock_tender(tender)
        apply_transition(tender, "close_bids", actor=actor, action="procurement.tender.bids_closed",
                         organisation=tender.initiative.lead_organisation, update_fields=("bids_closed_at",),
                         data={"bids": tender.bids.count()})
    return tender


def tender_evaluate(*, tender: Tender, actor: Actor) -> Tender:
    """Rank the regular bids of every lot and record the scores on the bids."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "evaluate", actor=actor)
        recorded = {}
        changed = []
        for lot_ranking in ranking(tender):
            recorded[str(lot_ranking.lot.number)] = [
                {"bid": bid.pk, "rank": scored.rank, "score": scored.score} for bid, scored in lot_ranking.rows
            ]
            for bid, scored in lot_ranking.rows:
                bid.price_score, bid.quality_score = scored.price_score, scored.quality_score
                bid.score, bid.rank = scored.score, scored.rank
                changed.append(bid)
        Bid.objects.bulk_update(changed, ["price_score", "quality_score", "score", "rank"])
        apply_transition(tender, "evaluate", actor=actor, action="procurement.tender.evaluated",
                         organisation=tender.initiative.lead_organisation, update_fields=("evaluated_at",),
                         data={"ranking": recorded})
    return tender


def _parse_awards(tender: Tender, awards: Any) -> list[tuple[Lot, Bid | None, str]]:
    """One decision per lot: a regular bid of that lot (with a reason when it is not the first ranked), or
    none with a reason (the lot is declared unsuccessful). Errors by position under ``awards``."""
    lots = {lot.pk: lot for lot in tender.initiative.lots.order_by("number")}
    if not isinstance(awards, (list, tuple)) or not awards:
        raise InvalidInput({"awards": [_("Decide every lot: send [{lot, bid}], with bid null for a lot "
                                         "declared unsuccessful.")]})
    bids = {bid.pk: bid for bid in tender.bids.select_related("lot", "supplier")}
    first = {r.lot.pk: next((b.pk for b, s in r.rows if s.rank == 1), None) for r in ranking(tender)}
    decisions, rows, seen = [], [], set()
    for entry in awards:
        errors: dict[str, list[str]] = {}
        if not isinstance(entry, dict):
            rows.append({"non_field_errors": [_("Each award is an object with lot and bid.")]})
            continue
        lot = lots.get(getattr(entry.get("lot"), "pk", entry.get("lot")))
        bid = bids.get(getattr(entry.get("bid"), "pk", entry.get("bid"))) if entry.get("bid") is not None else None
        reason = str(entry.get("reason") or "").strip()
        if lot is None:
            errors["lot"] = [_("Choose a lot of this initiative.")]
        elif lot.pk in seen:
            errors["lot"] = [_("Lot %(lot)s appears twice; decide each lot once.") % {"lot": lot.number}]
        if entry.get("bid") is not None and (bid is None or (lot is not None and bid.lot_id != lot.pk)):
            errors["bid"] = [_("Choose a bid for this lot.")]
        elif bid is not None and not bid.regular:
            errors["bid"] = [_("An irregular bid cannot be awarded (%(reason)s).") % {"reason": bid.irregular_reason}]
        elif lot is not None and bid is None and first.get(lot.pk) is not None and not reason:
            errors["reason"] = [_("Lot %(lot)s has a regular bid: say why it is declared unsuccessful.")
                                % {"lot": lot.number}]
        elif lot is not None and bid is not None and bid.pk != first.get(lot.pk) and not reason:
            errors["reason"] = [_("This bid is not ranked first in lot %(lot)s: say why it is chosen.")
                                % {"lot": lot.number}]
        if lot is not None:
            seen.add(lot.pk)
        rows.append(errors)
        if not errors:
            decisions.append((lot, bid, reason))
    if any(rows):
        raise InvalidInput({"awards": rows})
    missing = [str(lot.number) for pk, lot in lots.items() if pk not in seen]
    if missing:
        raise InvalidInput({"awards": [_("Decide every lot; missing: lot %(lots)s.") % {"lots": ", ".join(missing)}]})
    if all(bid is None for _lot, bid, _reason in decisions):
        raise InvalidInput({"awards": [_("Award at least one lot. When no lot can be awarded, declare the tender "
                                         "unsuccessful (fail) or cancel it.")]})
    return decisions


def tender_award(*, tender: Tender, actor: Actor, awards: list[dict]) -> Tender:
    """Award each lot (or declare it unsuccessful) and start the standstill period at once: the award
    decision is what starts it. The initiative moves to `awarded`."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "award", actor=actor)
        decisions = _parse_awards(tender, awards)
        lead = tender.initiative.lead_organisation
        Award.objects.bulk_create(
            Award(tender=tender, lot=lot, bid=bid, total=None if bid is None else bid.total, reason=reason)
            for lot, bid, reason in decisions
        )
        apply_transition(tender, "award", actor=actor, action="procurement.tender.awarded", organisation=lead,
                         update_fields=("awarded_at",),
                         data={"awards": [{"lot": lot.number, "bid": None if bid is None else bid.pk,
                                           "bidder": None if bid is None else bid.bidder,
                                           "total": None if bid is None else bid.total, "reason": reason}
                                          for lot, bid, reason in decisions]})
        tender.standstill_ends = standstill_end(tender.awarded_at, tender.standstill_days)
        apply_transition(tender, "start_standstill", actor=actor, system=True,
                         action="procurement.tender.standstill_started", organisation=lead,
                         update_fields=("standstill_ends",),
                         data={"days": tender.standstill_days, "ends": tender.standstill_ends})
        apply_transition(tender.initiative, "award", actor=actor, action="procurement.initiative.awarded",
                         organisation=lead, data={"tender": tender.pk})
    return tender


def tender_conclude(*, tender: Tender, actor: Actor, contract_start: date | None = None) -> Tender:
    """After the standstill: conclude the contracts (from ``contract_start``, by default today). The
    initiative becomes `active`; ``contracts`` creates the contracts in this same transaction."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "conclude", actor=actor)
        today = timezone.localdate()
        if contract_start is not None and contract_start < today:
            raise InvalidInput({"contract_start": [_("The contracts cannot start before today.")]})
        tender.contract_start = contract_start or today
        lead = tender.initiative.lead_organisation
        apply_transition(tender, "conclude", actor=actor, action="procurement.tender.concluded", organisation=lead,
                         update_fields=("concluded_at", "contract_start"),
                         data={"contract_start": tender.contract_start})
        apply_transition(tender.initiative, "conclude", actor=actor, action="procurement.initiative.concluded",
                         organisation=lead, data={"tender": tender.pk})
        tender_events.tender_concluded.send(sender=Tender, tender=tender, actor=actor)
    return tender


def tender_cancel(*, tender: Tender, actor: Actor, reason: str) -> Tender:
    """Stop the procedure, with a reason, before conclusion; the initiative is cancelled with it."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "cancel", actor=actor)
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput({"reason": [_("Give a reason; it is recorded and shown to the participants.")]})
        tender.reason = reason
        lead = tender.initiative.lead_organisation
        apply_transition(tender, "cancel", actor=actor, action="procurement.tender.cancelled", organisation=lead,
                         update_fields=("reason",), data={"reason": reason})
        initiative = tender.initiative
        # The initiative cannot be cancelled on its own while its tender runs (guard no_running_tender):
        # it goes with the tender.
        initiative.reason = reason
        apply_transition(initiative, "cancel_with_tender", actor=actor, system=True,
                         action="procurement.initiative.cancelled", organisation=lead, update_fields=("reason",),
                         data={"reason": reason, "tender": tender.pk})
        on_commit(events.initiative_cancelled, initiative_id=initiative.pk)
    return tender


def tender_fail(*, tender: Tender, actor: Actor, reason: str = "") -> Tender:
    """No lot can be awarded (no regular bid at all): the tender and the initiative are unsuccessful."""
    with transaction.atomic():
        tender = lock_tender(tender)
        check(tender, "fail", actor=actor)
        tender.reason = (reason or "").strip()
        lead = tender.initiative.lead_organisation
        apply_transition(tender, "fail", actor=actor, action="procurement.tender.failed", organisation=lead,
                         update_fields=("reason",), data={"reason": tender.reason})
        apply_transition(tender.initiative, "fail", actor=actor, action="procurement.initiative.unsuccessful",
                         organisation=lead, data={"tender": tender.pk})
    return tender
