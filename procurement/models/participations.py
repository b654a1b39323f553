"""Participations (deelnames) of organisations in initiatives, and their demand lines (behoefte)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import clock, formatting
from core.fsm import Guard, permission

from .initiatives import Initiative, InitiativeState, Item
from .organisations import DecidingBody, Organisation

MAX_QUANTITY = Decimal("1000000")  # a sane upper bound: no municipality orders a million of anything


class ParticipationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LAPSED = "lapsed", _("lapsed")


P = ParticipationState
# Participations whose demand counts in the pooled value while pooling; from `ready` only approved.
ACTIVE_STATES = (P.DRAFT, P.SUBMITTED, P.APPROVED)


initiative_pooling = Guard(
    lambda p: p.initiative.state == InitiativeState.POOLING,
    lambda p: _("Demand can only be submitted while the initiative is pooling demand (it is now: %(state)s).")
    % {"state": p.initiative.get_state_display()},
    "initiative_not_pooling",
)
demand_deadline_open = Guard(
    lambda p: p.initiative.demand_deadline is None or clock.now() <= p.initiative.demand_deadline,
    lambda p: _("The demand deadline of %(deadline)s has passed.")
    % {"deadline": formatting.deadline(p.initiative.demand_deadline)},
    "demand_deadline_passed",
)
has_demand = Guard(
    lambda p: p.lines.filter(quantity__gt=0).exists(),
    _("Enter a quantity above zero for at least one item before submitting."),
    "no_demand",
)
initiative_deciding = Guard(
    lambda p: p.initiative.state in (InitiativeState.POOLING, InitiativeState.DECIDING),
    lambda p: _("Decisions can no longer be recorded: the initiative is %(state)s.")
    % {"state": p.initiative.get_state_display()},
    "initiative_not_deciding",
)
decision_deadline_open = Guard(
    lambda p: p.initiative.decision_deadline is None or clock.now() <= p.initiative.decision_deadline,
    lambda p: _("The decision deadline of %(deadline)s has passed.")
    % {"deadline": formatting.deadline(p.initiative.decision_deadline)},
    "decision_deadline_passed",
)
initiative_not_frozen = Guard(
    lambda p: p.initiative.state in (InitiativeState.POOLING, InitiativeState.DECIDING),
    lambda p: _("Participants are frozen once the initiative is ready for tender (it is now: %(state)s).")
    % {"state": p.initiative.get_state_display()},
    "participants_frozen",
)
initiative_confirming = Guard(
    lambda p: p.initiative.state == InitiativeState.DECIDING,
    _("A participation lapses only when the participants are confirmed."),
    "initiative_not_deciding",
)


class Participation(ConcurrentTransitionMixin, models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    state = FSMField(_("state"), default=P.DRAFT, choices=P.choices, protected=True, db_index=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("contact person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    deciding_body = models.CharField(_("deciding body"), max_length=20, choices=DecidingBody.choices, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    decision_reason = models.TextField(_("reason for declining"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The exact value excl. VAT of its demand lines at the items' estimated prices (for a framework the maximum
    # quantity where given), in 1/10 000 euro: both factors have two decimals, so an integer holds it exactly on
    # every database. services.demand_set keeps it, so that the pooled value sums 600 participations instead
    # of 36 000 lines when all of Flanders joins (bench/NOTES.md). Prices cannot change once demand exists
    # (items change only while the initiative is a draft).
    demand_value_e4 = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["initiative_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "organisation"], name="one_participation_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.initiative}"

    @property
    def demand_value(self) -> Decimal:
        """The exact (unrounded) value excl. VAT of its demand."""
        return Decimal(self.demand_value_e4) / 10_000

    # --- lifecycle (DESIGN.md §3) ---

    @transition(
        field=state, source=P.DRAFT, target=P.SUBMITTED, permission=permission("procurement.permissions.may_submit"),
        conditions=[initiative_pooling, demand_deadline_open, has_demand],
    )
    def submit(self) -> None:
        self.submitted_at = clock.now()

    @transition(
        field=state, source=P.SUBMITTED, target=P.DRAFT, permission=permission("procurement.permissions.may_submit"),
        conditions=[initiative_pooling, demand_deadline_open],
    )
    def reopen(self) -> None:
        self.submitted_at = None

    @transition(
        field=state, source=P.SUBMITTED, target=P.APPROVED, permission=permission("procurement.permissions.may_decide"),
        conditions=[initiative_deciding, decision_deadline_open],
    )
    def approve(self) -> None:
        self.decided_at = clock.now()

    @transition(
        field=state, source=P.SUBMITTED, target=P.DECLINED, permission=permission("procurement.permissions.may_decide"),
        conditions=[initiative_deciding, decision_deadline_open],
    )
    def decline(self) -> None:
        self.decided_at = clock.now()

    @transition(
        field=state, source=[P.DRAFT, P.SUBMITTED, P.APPROVED], target=P.WITHDRAWN,
        permission=permission("procurement.permissions.may_withdraw"), conditions=[initiative_not_frozen],
    )
    def withdraw(self) -> None:
        pass

    @transition(field=state, source=[P.DRAFT, P.SUBMITTED], target=P.LAPSED, conditions=[initiative_confirming])
    def lapse(self) -> None:
        pass


class DemandLine(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="demand_lines")
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_QUANTITY)],
    )
    max_quantity = models.DecimalField(
        _("maximum quantity over the term"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_QUANTITY)],
    )

    class Meta:
        verbose_name = _("demand line")
        verbose_name_plural = _("demand lines")
        ordering = ["item__lot__number", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "item"], name="one_line_per_item"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(quantity__lte=MAX_QUANTITY), name="quantity_in_range"
            ),
            models.CheckConstraint(
                condition=Q(max_quantity__isnull=True) | Q(max_quantity__gte=F("quantity")),
                name="max_quantity_not_below_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
