"""Suppliers and bids: the shared supplier register, recording a bid between publication and the bid
deadline, and assessing it (regularity, quality scores) until the evaluation."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from core import formatting
from core.errors import NotAllowed, NotFound, TransitionRefused
from core.services import Actor
from core.validation import full_clean, raise_if, require
from procurement.models import Item, Lot
from tendering import rules, scoring
from tendering.models import Bid, BidPrice, QualityScore, Supplier, Tender, TenderState
from tendering.selectors import criteria_of, pooled_quantities

from .tenders import lock_tender, require_tender_manager

MAX_TOTAL = Decimal("99999999999999.99")

# --- suppliers ---


def supplier_register(*, actor: Actor, name: str, enterprise_number: str, email: str = "", address: str = "") -> Supplier:
    """Add a supplier to the shared register; the enterprise number is checked and stored normalised."""
    if not rules.may_register_supplier(actor):
        raise NotAllowed(_("Only procurement officers can register suppliers."))
    with transaction.atomic():
        supplier = Supplier(name=(name or "").strip(), enterprise_number=(enterprise_number or "").strip(),
                            email=(email or "").strip(), address=(address or "").strip(), created_by=actor)
        full_clean(supplier)
        supplier.save()
        audit.record(action="procurement.supplier.registered", obj=supplier, actor=actor,
                     data={"enterprise_number": supplier.enterprise_number})
    return supplier


# --- bids ---


def _require_bids_open(tender: Tender) -> None:
    if tender.state != TenderState.PUBLISHED:
        raise TransitionRefused(_("Bids are received only while the tender is published (it is %(state)s).")
                                % {"state": tender.get_state_display()}, code="invalid_state")
    if timezone.now() > tender.bid_deadline:
        raise TransitionRefused(_("The bid deadline of %(deadline)s has passed; no more bids are accepted.")
                                % {"deadline": formatting.deadline(tender.bid_deadline)}, code="bid_deadline_passed")


def _regularity(errors: dict[str, list], regular: Any, reason: str) -> None:
    if not isinstance(regular, bool):
        errors.setdefault("regular", []).append(_("Must be true or false."))
    elif not regular and not reason:
        errors.setdefault("irregular_reason", []).append(
            _("Say why the bid is irregular; the reason goes into the award report."))


def bid_submit(
    *, tender: Tender, actor: Actor, lot: Lot, unit_prices: list[dict], supplier: Supplier | None = None,
    candidate: str = "", quality_scores: list[dict] | None = None, regular: bool = True, irregular_reason: str = "",
) -> Bid:
    """Record a bid for one lot, between publication and the bid deadline: a unit price for every item of
    the lot (total = Σ unit price × pooled quantity, each line rounded to the cent). For a shared hire the
    bid is a candidate (``candidate`` instead of ``supplier``) priced at the annual cost per unit."""
    with transaction.atomic():
        tender = lock_tender(tender)
        require_tender_manager(tender, actor)
        _require_bids_open(tender)
        initiative = tender.initiative
        errors: dict[str, list] = {}
        candidate = (candidate or "").strip()
        reason = (irregular_reason or "").strip()
        if lot is None or lot.initiative_id != initiative.pk:
            errors["lot"] = [_("Choose a lot of this initiative.")]
        if tender.is_recruitment:
            require(errors, "candidate", candidate, _("Give the candidate's name."))
            if supplier is not None:
                errors.setdefault("supplier", []).append(_("A shared hire has candidates, not suppliers."))
            if len(candidate) > 200:
                errors.setdefault("candidate", []).append(_("Use at most 200 characters."))
        else:
            require(errors, "supplier", supplier)
            if candidate:
                errors.setdefault("candidate", []).append(_("Only a shared hire has candidates."))
        if "lot" not in errors:
            duplicate = (Bid.objects.filter(lot=lot, supplier=supplier).exists() if supplier is not None
                         else bool(candidate) and Bid.objects.filter(lot=lot, candidate=candidate).exists())
            if duplicate:
                errors.setdefault("supplier" if supplier is not None else "candidate", []).append(
                    _("%(bidder)s already has a bid for lot %(lot)s.")
                    % {"bidder": supplier or candidate, "lot": lot.number})
        _regularity(errors, regular, reason)
        lines: list[scoring.PricedLine] = []
        if "lot" not in errors:
            quantities = pooled_quantities(initiative, lot=lot)
            names = dict(Item.objects.filter(pk__in=list(quantities)).values_list("pk", "name"))
            lines, line_errors = scoring.priced_lines(quantities, unit_prices, names=names)
            errors.update(line_errors)
        criteria = criteria_of(tender)
        scores, score_errors = scoring.quality_errors(criteria, quality_scores)
        errors.update(score_errors)
        total = sum((line.amount for line in lines), Decimal("0.00"))
        if total > MAX_TOTAL:
            errors.setdefault("unit_prices", []).append(_("The total of this bid is too large to record."))
        raise_if(errors)
        bid = Bid.objects.create(tender=tender, lot=lot, supplier=supplier, candidate=candidate, regular=regular,
                                 irregular_reason="" if regular else reason, total=total, entered_by=actor,
                                 received_at=timezone.now())
        BidPrice.objects.bulk_create(
            BidPrice(bid=bid, item_id=line.item, unit_price=line.unit_price, quantity=line.quantity,
                     amount=line.amount) for line in lines
        )
        QualityScore.objects.bulk_create(
            QualityScore(bid=bid, criterion_id=key, score=score) for key, score in scores.items()
        )
        audit.record(action="procurement.bid.received", obj=tender, actor=actor,
                     organisation=initiative.lead_organisation,
                     data={"bid": bid.pk, "lot": lot.number, "bidder": bid.bidder, "total": total,
                           "regular": regular, "irregular_reason": bid.irregular_reason})
    return bid


def bid_assess(
    *, bid: Bid, actor: Actor, regular: bool | None = None, irregular_reason: str | None = None,
    quality_scores: list[dict] | None = None,
) -> Bid:
    """Record the regularity check and the quality scores of a bid, until the evaluation; the given
    quality scores replace the bid's scores."""
    tender_id = Bid.objects.filter(pk=bid.pk).values_list("tender_id", flat=True).first()
    if tender_id is None:
        raise NotFound(_("Bid %(pk)s does not exist.") % {"pk": bid.pk})
    with transaction.atomic():
        tender = lock_tender(tender_id)
        require_tender_manager(tender, actor)
        if tender.state not in (TenderState.PUBLISHED, TenderState.BIDS_CLOSED):
            raise TransitionRefused(_("Bids can be assessed until the evaluation (the tender is %(state)s).")
                                    % {"state": tender.get_state_display()}, code="invalid_state")
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        errors: dict[str, list] = {}
        new_regular = bid.regular if regular is None else regular
        reason = (bid.irregular_reason if irregular_reason is None else irregular_reason or "").strip()
        _regularity(errors, new_regular, reason)
        scores: dict = {}
        if quality_scores is not None:
            scores, score_errors = scoring.quality_errors(criteria_of(tender), quality_scores)
            errors.update(score_errors)
        raise_if(errors)
        bid.regular = new_regular
        bid.irregular_reason = "" if new_regular else reason
        bid.save(update_fields=["regular", "irregular_reason"])
        if quality_scores is not None:
            bid.scores.all().delete()
            QualityScore.objects.bulk_create(QualityScore(bid=bid, criterion_id=k, score=v) for k, v in scores.items())
        audit.record(action="procurement.bid.assessed", obj=tender, actor=actor,
                     organisation=tender.initiative.lead_organisation,
                     data={"bid": bid.pk, "regular": bid.regular, "irregular_reason": bid.irregular_reason,
                           "quality_scores": {str(k): v for k, v in scores.items()} if quality_scores is not None
                           else None})
    return bid
