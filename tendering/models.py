"""Tenders (opdrachten): the procedure the lead organisation runs for all, suppliers, bids and awards.

Lifecycle (DESIGN.md §3)::

    draft ──publish──▶ published ──close_bids──▶ bids_closed ──evaluate──▶ evaluated ──award──▶ awarded
                                                                                                  │
    concluded ◀──conclude── standstill ◀──────────────start_standstill (same service as award)──────┘
    any state before concluded ──cancel──▶ cancelled;  bids_closed | evaluated ──fail──▶ unsuccessful

Award moves straight on into the standstill: the award decision is what starts the standstill period, and
the API knows no separate transition for it. ``tender_award`` runs both transitions in one transaction and
audits both; ``awarded`` is the state of the instant in between (and stays in the machine so that the audit
trail shows the decision and the start of the standstill as two facts).

For a shared hire the same machine reads: the procedure is a recruitment, a bid is a candidate (with a name
instead of a supplier) whose unit prices are the annual cost per unit (an FTE), and the award is the choice
of the candidate.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import formatting
from core.fsm import Guard, permission
from procurement import advice, procedures
from procurement.models import Initiative, InitiativeState, Item, Lot
from procurement.models.organisations import NormalisedEnterpriseNumber
from procurement.models.time_limits import BidPeriodReduction

# These models were born in ``procurement``; they keep their tables (``db_table``) so that moving them into
# their own app changed no data (migration tendering 0001, state only).

DEFAULT_STANDSTILL_DAYS = 15
MAX_STANDSTILL_DAYS = 60


class Procedure(models.TextChoices):
    # Every procedure of procurement.procedures (the names and articles are kept there), and the recruitment.
    ACCEPTED_INVOICE = advice.ACCEPTED_INVOICE, procedures.LABELS[advice.ACCEPTED_INVOICE]
    NEGOTIATED_WITHOUT_PUBLICATION = (advice.NEGOTIATED_WITHOUT_PUBLICATION,
                                      procedures.LABELS[advice.NEGOTIATED_WITHOUT_PUBLICATION])
    NEGOTIATED_WITH_PUBLICATION = (procedures.NEGOTIATED_WITH_PUBLICATION,
                                   procedures.LABELS[procedures.NEGOTIATED_WITH_PUBLICATION])
    OPEN = advice.OPEN, procedures.LABELS[advice.OPEN]
    RESTRICTED = procedures.RESTRICTED, procedures.LABELS[procedures.RESTRICTED]
    COMPETITIVE_NEGOTIATION = procedures.COMPETITIVE_NEGOTIATION, procedures.LABELS[procedures.COMPETITIVE_NEGOTIATION]
    COMPETITIVE_DIALOGUE = procedures.COMPETITIVE_DIALOGUE, procedures.LABELS[procedures.COMPETITIVE_DIALOGUE]
    RECRUITMENT = advice.RECRUITMENT, _("recruitment (shared hire)")


class Publication(models.TextChoices):
    NONE = advice.PUBLICATION_NONE, _("no publication")
    BELGIAN = advice.PUBLICATION_BELGIAN, _("Belgian (e-Notification, Bulletin der Aanbestedingen)")
    EUROPEAN = advice.PUBLICATION_EUROPEAN, _("European (Official Journal of the EU, TED) and Belgian")


class TenderState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    BIDS_CLOSED = "bids_closed", _("bids closed")
    EVALUATED = "evaluated", _("evaluated")
    AWARDED = "awarded", _("awarded")
    STANDSTILL = "standstill", _("standstill period")
    CONCLUDED = "concluded", _("concluded")
    CANCELLED = "cancelled", _("cancelled")
    UNSUCCESSFUL = "unsuccessful", _("unsuccessful")


T = TenderState
BEFORE_CONCLUDED = [T.DRAFT, T.PUBLISHED, T.BIDS_CLOSED, T.EVALUATED, T.AWARDED, T.STANDSTILL]
# The states in which participants may see bids and scores (before, the procedure is confidential).
EVALUATED_STATES = {T.EVALUATED, T.AWARDED, T.STANDSTILL, T.CONCLUDED, T.UNSUCCESSFUL}


class Supplier(NormalisedEnterpriseNumber, models.Model):
    """A shared register: every authenticated user sees every supplier (they are public companies)."""

    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise number"), max_length=12, unique=True, help_text=_("KBO number, stored as 0xxx.xxx.xxx.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        db_table = "procurement_supplier"
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


# --- guards ---

bid_deadline_ahead = Guard(
    lambda t: t.bid_deadline is not None and t.bid_deadline > timezone.now(),
    lambda t: _("The bid deadline (%(deadline)s) has passed; set a later bid deadline before publishing.")
    % {"deadline": formatting.deadline(t.bid_deadline)},
    "bid_deadline_passed",
)
# A bid at the deadline itself is in time (``bid_submit``), so the bids close only once it has passed.
bid_deadline_passed = Guard(
    lambda t: t.bid_deadline is not None and t.bid_deadline < timezone.now(),
    lambda t: _("Bids can still come in until the bid deadline of %(deadline)s; close them after it.")
    % {"deadline": formatting.deadline(t.bid_deadline)},
    "bid_deadline_ahead",
)
initiative_tendering = Guard(
    lambda t: t.initiative.state == InitiativeState.TENDERING,
    lambda t: _("The initiative is %(state)s; its tender cannot go on.") % {"state": t.initiative.get_state_display()},
    "initiative_not_tendering",
)


def _unscored(tender: "Tender") -> list[str]:
    quality = list(tender.criteria.filter(is_price=False).values_list("pk", "name"))
    if not quality:
        return []
    missing = []
    for bid in tender.bids.filter(regular=True).select_related("supplier", "lot").prefetch_related("scores"):
        have = {s.criterion_id for s in bid.scores.all()}
        if any(pk not in have for pk, _name in quality):
            missing.append(str(bid))
    return missing


quality_scored = Guard(
    lambda t: not _unscored(t),
    lambda t: _("Enter every quality score of every regular bid before evaluating; missing for: %(bids)s.")
    % {"bids": "; ".join(_unscored(t))},
    "quality_scores_missing",
)
has_regular_bid = Guard(
    lambda t: t.bids.filter(regular=True).exists(),
    _("No lot has a regular bid, so nothing can be awarded: declare the tender unsuccessful (fail)."),
    "no_regular_bid",
)
no_regular_bid = Guard(
    lambda t: not t.bids.filter(regular=True).exists(),
    _("A lot has a regular bid that can be awarded; award it (and declare the other lots unsuccessful) or "
      "cancel the tender with a reason."),
    "regular_bid_exists",
)
standstill_over = Guard(
    lambda t: t.standstill_ends is not None and t.standstill_ends <= timezone.now(),
    lambda t: _("The standstill period runs until %(end)s; the contracts can be concluded after it.")
    % {"end": formatting.deadline(t.standstill_ends)} if t.standstill_ends else _("The standstill has not started."),
    "standstill_running",
)


class Tender(ConcurrentTransitionMixin, models.Model):
    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="tender")
    state = FSMField(_("state"), default=T.DRAFT, choices=T.choices, protected=True, db_index=True)
    procedure = models.CharField(_("procedure"), max_length=40, choices=Procedure.choices)
    publication = models.CharField(_("publication"), max_length=20, choices=Publication.choices)
    advised_procedure = models.CharField(
        _("advised procedure"), max_length=40, choices=Procedure.choices,
        help_text=_("The procedure advice for the pooled value when the tender was created."),
    )
    estimated_value = models.DecimalField(
        _("estimated value excl. VAT"), max_digits=16, decimal_places=2,
        help_text=_("The pooled value of the frozen demand when the tender was created."),
    )
    publication_reference = models.CharField(
        _("publication reference"), max_length=100, blank=True,
        help_text=_("The e-Notification or TED number, or the reference of the invitation to bid."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    procedure_reason = models.TextField(
        _("reason for the procedure"), blank=True,
        help_text=_("Required for a competitive procedure with negotiation or a competitive dialogue: which case "
                    "of art. 38 §1 applies and why."),
    )
    bid_deadline = models.DateTimeField(_("bid deadline"))
    bid_period_reduction = models.CharField(
        _("shorter bid period"), max_length=30, default=BidPeriodReduction.NONE, choices=BidPeriodReduction.choices,
        help_text=_("A reduction of the minimum time limit for bids that the law allows, with its reason."),
    )
    bid_period_reduction_reason = models.TextField(_("reason for the shorter bid period"), blank=True)
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill period (calendar days)"), default=DEFAULT_STANDSTILL_DAYS,
        validators=[MaxValueValidator(MAX_STANDSTILL_DAYS)],
    )
    bids_closed_at = models.DateTimeField(_("bids closed"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    standstill_ends = models.DateTimeField(_("standstill ends"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    contract_start = models.DateField(
        _("contracts start on"), null=True, blank=True,
        help_text=_("Set at conclusion; for a shared hire the start date of the employee."),
    )
    reason = models.TextField(_("reason (cancelled or unsuccessful)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "procurement_tender"
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return _("Tender for %(initiative)s") % {"initiative": self.initiative}

    @property
    def is_recruitment(self) -> bool:
        return self.procedure == Procedure.RECRUITMENT

    # --- lifecycle. Services call these; nothing else does. ---

    @transition(
        field=state, source=T.DRAFT, target=T.PUBLISHED, permission=permission("tendering.rules.may_manage_tender"),
        conditions=[initiative_tendering, bid_deadline_ahead],
    )
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(
        field=state, source=T.PUBLISHED, target=T.BIDS_CLOSED, permission=permission("tendering.rules.may_manage_tender"),
        conditions=[initiative_tendering, bid_deadline_passed],
    )
    def close_bids(self) -> None:
        self.bids_closed_at = timezone.now()

    @transition(
        field=state, source=T.BIDS_CLOSED, target=T.EVALUATED, permission=permission("tendering.rules.may_manage_tender"),
        conditions=[initiative_tendering, quality_scored],
    )
    def evaluate(self) -> None:
        self.evaluated_at = timezone.now()

    @transition(
        field=state, source=T.EVALUATED, target=T.AWARDED, permission=permission("tendering.rules.may_manage_tender"),
        conditions=[initiative_tendering, has_regular_bid],
    )
    def award(self) -> None:
        self.awarded_at = timezone.now()

    @transition(field=state, source=T.AWARDED, target=T.STANDSTILL)
    def start_standstill(self) -> None:
        """System transition, run by the award service right after ``award``."""

    @transition(
        field=state, source=T.STANDSTILL, target=T.CONCLUDED, permission=permission("tendering.rules.may_manage_tender"),
        conditions=[standstill_over],
    )
    def conclude(self) -> None:
        self.concluded_at = timezone.now()

    @transition(field=state, source=BEFORE_CONCLUDED, target=T.CANCELLED, permission=permission("tendering.rules.may_manage_tender"))
    def cancel(self) -> None:
        pass

    @transition(
        field=state, source=[T.BIDS_CLOSED, T.EVALUATED], target=T.UNSUCCESSFUL,
        permission=permission("tendering.rules.may_manage_tender"), conditions=[initiative_tendering, no_regular_bid],
    )
    def fail(self) -> None:
        pass


class AwardCriterion(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    is_price = models.BooleanField(_("price criterion"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    class Meta:
        db_table = "procurement_awardcriterion"
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["tender_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "name"], name="unique_criterion_name"),
            models.UniqueConstraint(fields=["tender"], condition=Q(is_price=True), name="one_price_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Bid(models.Model):
    """A supplier's offer for one lot (for a shared hire: a candidate with an annual cost)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="bids")
    candidate = models.CharField(_("candidate"), max_length=200, blank=True,
                                 help_text=_("For a shared hire: the candidate's name instead of a supplier."))
    regular = models.BooleanField(_("regular"), default=True)
    irregular_reason = models.TextField(_("why the bid is irregular"), blank=True)
    total = models.DecimalField(_("total excl. VAT"), max_digits=16, decimal_places=2)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ranking as recorded at evaluation (the ranking endpoint computes the same from the same data).
    price_score = models.DecimalField(_("price score"), max_digits=6, decimal_places=2, null=True, blank=True)
    quality_score = models.DecimalField(_("quality score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        db_table = "procurement_bid"
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender_id", "lot__number", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "supplier"], name="one_bid_per_supplier_and_lot"),
            models.UniqueConstraint(fields=["lot", "candidate"], condition=~Q(candidate=""),
                                    name="one_bid_per_candidate_and_lot"),
            models.CheckConstraint(condition=Q(supplier__isnull=False) | ~Q(candidate=""),
                                   name="bid_has_supplier_or_candidate"),
            models.CheckConstraint(condition=Q(regular=True) | ~Q(irregular_reason=""),
                                   name="irregular_bid_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.bidder} · {_('lot')} {self.lot.number}"

    @property
    def bidder(self) -> str:
        return self.supplier.name if self.supplier_id else self.candidate


class BidPrice(models.Model):
    """One priced item of a bid, with the pooled quantity it was priced for (the frozen demand)."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="prices")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="bid_prices")
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    quantity = models.DecimalField(_("pooled quantity"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount excl. VAT"), max_digits=16, decimal_places=2)

    class Meta:
        db_table = "procurement_bidprice"
        verbose_name = _("bid price")
        verbose_name_plural = _("bid prices")
        ordering = ["bid_id", "item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["bid", "item"], name="one_price_per_bid_and_item")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity} à {self.unit_price}"


class QualityScore(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        db_table = "procurement_qualityscore"
        verbose_name = _("quality score")
        verbose_name_plural = _("quality scores")
        ordering = ["bid_id", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="one_score_per_bid_and_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class Award(models.Model):
    """The decision for one lot: the winning bid, or the lot declared unsuccessful (``bid`` empty)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="awards")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="awards")
    bid = models.ForeignKey(Bid, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    total = models.DecimalField(_("awarded total excl. VAT"), max_digits=16, decimal_places=2, null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True,
        help_text=_("Why the lot is unsuccessful, or why a bid other than the first ranked is chosen."),
    )

    class Meta:
        db_table = "procurement_award"
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["tender_id", "lot__number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "lot"], name="one_award_per_lot"),
            models.CheckConstraint(condition=Q(bid__isnull=True) | Q(total__isnull=False),
                                   name="awarded_lot_has_total"),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.bid.bidder if self.bid_id else _('unsuccessful')}"

    @property
    def unsuccessful(self) -> bool:
        return self.bid_id is None
