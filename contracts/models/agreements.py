"""Contracts (overeenkomsten): what an award turns into when the tender is concluded.

- joint purchase: one purchase contract per lot per participant, with that participant's approved
  quantities × the awarded unit prices (``lines``); the contracts of a lot sum exactly to the awarded total;
- framework contract: one framework agreement per lot (no organisation), carrying the frozen
  beneficiaries, each one's maximum (``beneficiaries``; per item in ``lines``: the maximum quantity) and the
  overall maximum (``ceiling``). Call-offs (``calloffs.py``) consume it: the counters ``consumed`` (here, on
  the beneficiary) and ``ordered`` / ``delivered`` (on the line) are only ever changed by the call-off
  services while they hold the lock on this row, so a ceiling check and the consumption update are one step;
- shared hire: one agreement for the hire with the chosen candidate and the start date; its ``lines`` and
  ``beneficiaries`` hold each participant's share of the annual cost as pooled; the position, the cost model
  and the versioned allocation key are in ``sharing.py``.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import permission
from procurement import permissions
from procurement.models import Initiative, Item, Lot, Organisation
from tendering.models import Award, Supplier, Tender

ZERO = Decimal("0.00")
# A warning goes out once when consumption passes this share of a ceiling (per ceiling).
WARNING_SHARE = Decimal("0.8")


class ContractKind(models.TextChoices):
    PURCHASE = "purchase", _("purchase contract")
    FRAMEWORK = "framework_agreement", _("framework agreement")
    SHARED_HIRE = "shared_hire", _("shared hire agreement")


class ContractState(models.TextChoices):
    ACTIVE = "active", _("active")
    EXHAUSTED = "exhausted", _("exhausted")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContractQuerySet":
        """The lead organisation's members see every contract of the initiatives it leads; a participant
        sees its own contracts, the agreements it is a beneficiary of and the shared hires whose allocation
        key names it (also one that joined later); anyone else nothing (404)."""
        if user.is_superuser:
            return self.all()
        mine = permissions.organisation_ids(user)
        return self.filter(
            Q(initiative__lead_organisation__in=mine) | Q(organisation__in=mine)
            | Q(beneficiaries__organisation__in=mine) | Q(allocation_keys__shares__organisation__in=mine)
        ).distinct()


class Contract(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=ContractKind.choices)
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="contracts")
    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="contracts")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="contracts")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    candidate = models.CharField(_("candidate"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts",
        help_text=_("The participant of a purchase contract; empty for a framework agreement or a shared hire."),
    )
    state = FSMField(_("state"), default=ContractState.ACTIVE, choices=ContractState.choices, protected=True,
                     db_index=True)
    value = models.DecimalField(_("value excl. VAT"), max_digits=16, decimal_places=2,
                                validators=[MinValueValidator(0)])
    ceiling = models.DecimalField(
        _("overall maximum excl. VAT"), max_digits=16, decimal_places=2, null=True, blank=True,
        help_text=_("A framework agreement's ceiling over all beneficiaries."),
    )
    consumed = models.DecimalField(
        _("consumed excl. VAT"), max_digits=16, decimal_places=2, default=ZERO,
        help_text=_("A framework agreement: the value of the call-offs ordered (once closed: delivered)."),
    )
    ceiling_warned_at = models.DateTimeField(_("overall ceiling warning sent"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    renewals_used = models.PositiveSmallIntegerField(_("renewals used"), default=0)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True,
                                     help_text=_("The last day of the contract after a termination."))
    reason = models.TextField(_("reason (terminated)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["initiative_id", "lot__number", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "organisation"], name="one_contract_per_award_and_organisation"),
            models.UniqueConstraint(fields=["award"], condition=Q(organisation__isnull=True),
                                    name="one_shared_contract_per_award"),
            models.CheckConstraint(condition=Q(consumed__gte=0), name="contract_consumed_not_negative"),
            models.CheckConstraint(condition=Q(ceiling__isnull=True) | Q(consumed__lte=models.F("ceiling")),
                                   name="contract_consumed_within_ceiling"),
        ]

    def __str__(self) -> str:
        party = self.organisation or self.supplier or self.candidate
        return f"{self.get_kind_display()} · {self.lot} · {party}"

    @property
    def party(self) -> str:
        """Who delivers: the supplier, or for a shared hire the candidate."""
        return self.supplier.name if self.supplier_id else self.candidate

    @property
    def is_framework(self) -> bool:
        return self.kind == ContractKind.FRAMEWORK

    @property
    def is_shared_hire(self) -> bool:
        return self.kind == ContractKind.SHARED_HIRE

    @property
    def remaining(self) -> Decimal | None:
        """What is left of the overall maximum (a framework agreement only)."""
        return None if self.ceiling is None else self.ceiling - self.consumed

    @property
    def reference(self) -> str:
        """How the order forms and statements name the agreement: initiative, lot and contract number."""
        return f"{self.initiative_id}-{self.lot.number}-{self.pk}"

    @property
    def last_day(self):
        """The last day the contract runs: the termination date, else the end of the period (or None)."""
        return self.terminated_on or self.ends_on

    # --- lifecycle (DESIGN.md §3: framework active → exhausted | expired | terminated) ---

    @transition(field=state, source=ContractState.ACTIVE, target=ContractState.EXHAUSTED)
    def exhaust(self) -> None:
        """System: the overall maximum is fully consumed (a call-off was ordered)."""

    @transition(field=state, source=ContractState.EXHAUSTED, target=ContractState.ACTIVE)
    def replenish(self) -> None:
        """System: a cancelled or closed call-off gave back part of the ceiling of an exhausted agreement."""

    @transition(field=state, source=ContractState.ACTIVE, target=ContractState.EXPIRED)
    def expire(self) -> None:
        """System: the end date has passed."""

    @transition(field=state, source=[ContractState.ACTIVE, ContractState.EXHAUSTED], target=ContractState.TERMINATED,
                permission=permission("contracts.rules.may_manage_contract"))
    def terminate(self) -> None:
        pass


class ContractLine(models.Model):
    """One organisation × item of a contract: the quantity (for a framework: the maximum), the awarded
    unit price and the amount, rounded to the cent so that the lines of an award add up to its total.

    For a framework agreement also the consumption of that maximum: ``ordered`` (the quantity of the
    call-offs ordered; once a call-off is closed, what it delivered) and ``delivered``."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="contract_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount excl. VAT"), max_digits=16, decimal_places=2)
    ordered = models.DecimalField(_("ordered quantity"), max_digits=14, decimal_places=2, default=ZERO)
    delivered = models.DecimalField(_("delivered quantity"), max_digits=14, decimal_places=2, default=ZERO)
    warned_at = models.DateTimeField(_("ceiling warning sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        ordering = ["contract_id", "organisation__name", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organisation", "item"], name="one_contract_line_per_item"),
            models.CheckConstraint(condition=Q(ordered__gte=0) & Q(ordered__lte=models.F("quantity")),
                                   name="contract_line_ordered_within_maximum"),
            models.CheckConstraint(condition=Q(delivered__gte=0), name="contract_line_delivered_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.item} × {self.quantity}"

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.ordered


class Beneficiary(models.Model):
    """A frozen beneficiary of a framework agreement (or a sharer of a hire) and its maximum: the sum of
    its lines. Call-offs of this organisation may never exceed it, nor all call-offs the ceiling."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="beneficiaries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="benefits")
    maximum = models.DecimalField(_("maximum excl. VAT"), max_digits=16, decimal_places=2)
    consumed = models.DecimalField(_("consumed excl. VAT"), max_digits=16, decimal_places=2, default=ZERO)
    warned_at = models.DateTimeField(_("ceiling warning sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["contract_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organisation"], name="one_beneficiary_per_contract"),
            models.CheckConstraint(condition=Q(consumed__gte=0) & Q(consumed__lte=models.F("maximum")),
                                   name="beneficiary_consumed_within_maximum"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ≤ {self.maximum}"

    @property
    def remaining(self) -> Decimal:
        return self.maximum - self.consumed
